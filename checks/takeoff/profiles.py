"""Exact area and perimeter of IFC profile definitions (in the file's length unit).

Only what is exact is answered: rectangles, circles, hollow sections and
I-sections from their parameters, polygons by the shoelace formula. A profile
with arcs, splines or tapered flanges answers None, and the takeoff falls back
on the tessellated geometry, which says it is an approximation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ProfileMeasure:
    """Area (inner voids deducted), outer perimeter, and the circle's diameter if it is one."""

    area: float | None
    perimeter: float | None
    diameter: float | None = None


def _polygon(points) -> ProfileMeasure | None:
    pts = np.asarray(points, np.float64)[:, :2]
    if len(pts) < 3:
        return None
    if np.allclose(pts[0], pts[-1]):
        pts = pts[:-1]
    x, y = pts[:, 0], pts[:, 1]
    area = 0.5 * abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))
    perimeter = float(np.linalg.norm(pts - np.roll(pts, -1, axis=0), axis=1).sum())
    return ProfileMeasure(area, perimeter)


def _curve_points(curve) -> list | None:
    """Vertices of a curve made only of straight segments, or None."""
    if curve.is_a("IfcPolyline"):
        return [p.Coordinates for p in curve.Points]
    if curve.is_a("IfcIndexedPolyCurve"):
        if any(not s.is_a("IfcLineIndex") for s in (curve.Segments or ())):
            return None  # arc segments
        coords = curve.Points.CoordList
        if not curve.Segments:
            return list(coords)
        points = []
        for segment in curve.Segments:
            indices = list(segment.wrappedValue)
            points.extend(coords[i - 1] for i in (indices if not points else indices[1:]))
        return points
    if curve.is_a("IfcCompositeCurve"):
        points = []
        for segment in curve.Segments:
            parent = segment.ParentCurve
            if not parent.is_a("IfcPolyline"):
                return None
            part = [p.Coordinates for p in parent.Points]
            if segment.SameSense is False:
                part = part[::-1]
            points.extend(part if not points else part[1:])
        return points
    return None


def _curve(curve) -> ProfileMeasure | None:
    if curve.is_a("IfcCircle"):
        r = float(curve.Radius)
        return ProfileMeasure(math.pi * r * r, 2 * math.pi * r, 2 * r)
    points = _curve_points(curve)
    return _polygon(points) if points else None


def profile_measure(profile) -> ProfileMeasure | None:
    """Area and perimeter of ``profile`` (an IfcProfileDef), None when they cannot be had exactly."""
    cls = profile.is_a()
    if cls == "IfcRectangleProfileDef":
        x, y = float(profile.XDim), float(profile.YDim)
        return ProfileMeasure(x * y, 2 * (x + y))
    if cls == "IfcRoundedRectangleProfileDef":
        x, y, r = float(profile.XDim), float(profile.YDim), float(profile.RoundingRadius or 0.0)
        return ProfileMeasure(x * y - (4 - math.pi) * r * r, 2 * (x + y) - 8 * r + 2 * math.pi * r)
    if cls == "IfcRectangleHollowProfileDef":
        if profile.InnerFilletRadius or profile.OuterFilletRadius:
            return None
        x, y, t = float(profile.XDim), float(profile.YDim), float(profile.WallThickness)
        return ProfileMeasure(x * y - (x - 2 * t) * (y - 2 * t), 2 * (x + y))
    if cls == "IfcCircleProfileDef":
        r = float(profile.Radius)
        return ProfileMeasure(math.pi * r * r, 2 * math.pi * r, 2 * r)
    if cls == "IfcCircleHollowProfileDef":
        r, t = float(profile.Radius), float(profile.WallThickness)
        return ProfileMeasure(math.pi * (r * r - (r - t) ** 2), 2 * math.pi * r, 2 * r)
    if cls == "IfcIShapeProfileDef":
        if getattr(profile, "FlangeEdgeRadius", None) or getattr(profile, "FlangeSlope", None):
            return None
        b, h = float(profile.OverallWidth), float(profile.OverallDepth)
        tw, tf, r = float(profile.WebThickness), float(profile.FlangeThickness), float(profile.FilletRadius or 0.0)
        area = 2 * b * tf + (h - 2 * tf) * tw + 4 * r * r * (1 - math.pi / 4)
        perimeter = 4 * b + 2 * h - 2 * tw + 4 * r * (math.pi / 2 - 2)
        return ProfileMeasure(area, perimeter)
    if cls == "IfcArbitraryClosedProfileDef":
        return _curve(profile.OuterCurve)
    if cls == "IfcArbitraryProfileDefWithVoids":
        outer = _curve(profile.OuterCurve)
        if outer is None:
            return None
        inner = [_curve(c) for c in profile.InnerCurves or ()]
        if any(i is None for i in inner):
            return None
        return ProfileMeasure(outer.area - sum(i.area for i in inner), outer.perimeter)
    if cls == "IfcDerivedProfileDef":
        parent = profile_measure(profile.ParentProfile)
        operator = profile.Operator
        scale = float(getattr(operator, "Scale", None) or 1.0)
        scale2 = float(getattr(operator, "Scale2", None) or scale)
        if parent is None or scale != scale2:
            return None  # a non-uniform scale changes the perimeter in no simple way
        return ProfileMeasure(parent.area * scale * scale, None if parent.perimeter is None
                              else parent.perimeter * scale, None if parent.diameter is None
                              else parent.diameter * scale)
    return None
