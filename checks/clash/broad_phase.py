"""Broad phase: which pairs of elements are close enough to be worth an exact test.

Sort and sweep along the axis where the elements are most spread out, in numpy:
side A's boxes are sorted by their start on that axis, and each box of side B
only looks at the run of A boxes that can still reach it. That run is bounded by
the longest A box, so the few very long elements (slabs, long walls) are set
apart and compared with every B box directly: otherwise one 30 m slab would
widen every run to the whole model. The work is proportional to the pairs that
nearly overlap along the sweep axis, far below all pairs.
"""

from __future__ import annotations

import numpy as np

# Runs longer than this many (A, B) index pairs are processed in several passes, to bound memory.
_CHUNK_PAIRS = 2_000_000


def overlapping_pairs(lo_a: np.ndarray, hi_a: np.ndarray, lo_b: np.ndarray, hi_b: np.ndarray,
                      min_overlap: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Indices ``(i, j)`` of the boxes of A and B that overlap by more than ``min_overlap`` along every axis.

    A negative ``min_overlap`` accepts boxes up to that far apart (clearance); a
    positive one drops boxes that only touch or overlap by less (hard clashes
    shallower than the tolerance cannot hide in a thinner overlap).
    """
    empty = (np.zeros(0, np.int64), np.zeros(0, np.int64))
    if not len(lo_a) or not len(lo_b):
        return empty
    centres = np.concatenate([(lo_a + hi_a) / 2, (lo_b + hi_b) / 2])
    axis = int(np.argmax(centres.max(axis=0) - centres.min(axis=0)))
    extent = hi_a[:, axis] - lo_a[:, axis]
    long_limit = max(float(np.percentile(extent, 90)) * 2.0, 1e-6)
    long_ones = np.flatnonzero(extent > long_limit)
    short = np.flatnonzero(extent <= long_limit)
    pairs_i, pairs_j = [], []
    if len(long_ones):
        i, j = _all_against_all(lo_a[long_ones], hi_a[long_ones], lo_b, hi_b, min_overlap)
        pairs_i.append(long_ones[i])
        pairs_j.append(j)
    if len(short):
        i, j = _sweep(lo_a[short], hi_a[short], lo_b, hi_b, min_overlap, axis, long_limit)
        pairs_i.append(short[i])
        pairs_j.append(j)
    if not pairs_i:
        return empty
    return np.concatenate(pairs_i), np.concatenate(pairs_j)


def _overlap(lo_a, hi_a, lo_b, hi_b, min_overlap) -> np.ndarray:
    return ((np.minimum(hi_a, hi_b) - np.maximum(lo_a, lo_b)) > min_overlap).all(axis=-1)


def _all_against_all(lo_a, hi_a, lo_b, hi_b, min_overlap):
    hits = _overlap(lo_a[:, None], hi_a[:, None], lo_b[None], hi_b[None], min_overlap)
    return np.nonzero(hits)


def _sweep(lo_a, hi_a, lo_b, hi_b, min_overlap, axis, longest):
    order = np.argsort(lo_a[:, axis], kind="stable")
    starts_sorted = lo_a[order, axis]
    # An A box reaches B only if it starts before B's end and (being at most `longest` long)
    # after B's start minus `longest`; the exact test below settles the rest.
    first = np.searchsorted(starts_sorted, lo_b[:, axis] + min_overlap - longest, side="left")
    last = np.searchsorted(starts_sorted, hi_b[:, axis] - min_overlap, side="right")
    counts = np.maximum(last - first, 0)
    out_i, out_j = [], []
    b_start = 0
    cumulative = np.cumsum(counts)
    while b_start < len(lo_b):
        base = cumulative[b_start - 1] if b_start else 0
        b_end = int(np.searchsorted(cumulative, base + _CHUNK_PAIRS, side="right"))
        b_end = max(b_end, b_start + 1)
        c = counts[b_start:b_end]
        total = int(c.sum())
        if total:
            j = np.repeat(np.arange(b_start, b_end), c)
            offsets = np.arange(total) - np.repeat(np.cumsum(c) - c, c)
            i = order[first[j] + offsets]
            keep = _overlap(lo_a[i], hi_a[i], lo_b[j], hi_b[j], min_overlap)
            out_i.append(i[keep])
            out_j.append(j[keep])
        b_start = b_end
    if not out_i:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(out_i), np.concatenate(out_j)
