"""The coordination dashboard drawn with matplotlib, without Qt: one drawing code for the window and the files.

:func:`load_board` reads what the board shows (the numbers of :mod:`project_db.dashboard`,
the project's names and trade colours) into a :class:`Board`. :func:`draw_board` draws
its six charts into a matplotlib :class:`~matplotlib.figure.Figure` (the window's canvas
or a file's); each chart function returns a :class:`Chart` whose bars (and slices) carry
the :class:`ChartTarget` a click on them shows in the issues panel.
:func:`export_dashboard` writes the whole board as one PNG image, or as a PDF with a
title page then one page per chart.

Figures are plain ``Figure`` objects, never pyplot: no global state, so a worker thread
may render an export while the window draws its own. As in the other reports, titles
are in the current language (``_()``), trade and vocabulary names and dates in the
board's ``language``.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

from bim.atomic_file import write_atomically
from bim.i18n import N_, _, ngettext, pgettext
from project_db.dashboard import (
    GROUP_CLOSED,
    GROUP_DEADLINE,
    GROUP_OPENED,
    GROUP_PRIORITY,
    GROUP_RESOLVED,
    GROUP_TRADE_STATUS,
    DashboardData,
    DashboardFilter,
    dashboard,
    model_versions,
)
from project_db.deadlines import AT_RISK, OVERDUE
from project_db.records import ModelVersion
from project_db.reports.common import NameBook, format_date, format_of, load_names

FORMATS = ("png", "pdf")
OPEN_STATUS = "__open__"  # the issues panel's "any open status" choice
MAX_RUNS = 30  # the pass-rate chart shows the newest runs only: older bars would be too thin to read

# Chart keys, in the board's order (row by row, two per row).
TRADE_STATUS, PRIORITY, DEADLINES, TREND, RESOLVE, PASS_RATE = (
    "trade_status", "priority", "deadlines", "trend", "resolve", "pass_rate")
CHART_KEYS = (TRADE_STATUS, PRIORITY, DEADLINES, TREND, RESOLVE, PASS_RATE)
CHART_TITLES = {
    TRADE_STATUS: N_("Open issues by trade and status"),
    PRIORITY: N_("Open issues by priority"),
    DEADLINES: N_("Overdue and at-risk issues per trade"),
    TREND: N_("Issues opened and closed per week"),
    RESOLVE: N_("Time to resolve per trade (days)"),
    PASS_RATE: N_("Rule-check pass rate per stored run"),
}

# A calm palette that reads on screen and on paper; statuses and priorities take their
# colour by their place in the project's vocabulary.
INK, MUTED, GRID = "#1F2937", "#6B7280", "#E5E7EB"
STATUS_COLOURS = ("#3B82F6", "#F59E0B", "#10B981", "#8B5CF6", "#EC4899", "#14B8A6", "#6B7280")
PRIORITY_COLOURS = ("#B91C1C", "#F97316", "#3B82F6", "#9CA3AF", "#8B5CF6", "#14B8A6")
NONE_COLOUR = "#D1D5DB"
OVERDUE_COLOUR, AT_RISK_COLOUR = "#DC2626", "#F59E0B"
OPENED_COLOUR, CLOSED_COLOUR = "#3B82F6", "#10B981"
GOOD, FAIR, POOR = "#10B981", "#F59E0B", "#DC2626"
TITLE_SIZE, TEXT_SIZE, SMALL_SIZE = 10, 8, 7


# -- what a click shows --------------------------------------------------------------------


@dataclass(frozen=True)
class ChartTarget:
    """What clicking one bar or slice shows in the issues panel.

    ``choices`` are the panel's filter choices as ``(key, code)`` (the keys of
    ``IssuesPanel.set_choice``: trade, status, priority, label …), set after clearing the
    others. ``issue_ids`` are exactly the issues the bar counts; ``restrict`` says the
    choices cannot say which (at-risk issues, a week's issues, a date range, a model
    version, no trade …), so the panel must be narrowed to those ids, with ``caption``
    on the chip that undoes it. A check run's bar names ``check_run_id`` and no issues.
    """

    caption: str
    choices: tuple[tuple[str, str], ...] = ()
    issue_ids: tuple[int, ...] = ()
    restrict: bool = True
    check_run_id: int | None = None


@dataclass(frozen=True)
class ChartBar:
    """One drawn bar or slice: its label, its value and what clicking it shows."""

    label: str
    value: float
    target: ChartTarget
    artist: Artist | None = field(default=None, compare=False, repr=False)


@dataclass
class Chart:
    """One chart as drawn: its key (see ``CHART_KEYS``), title, axes and bars."""

    key: str
    title: str
    axes: Axes
    bars: list[ChartBar] = field(default_factory=list)
    empty: bool = False

    def target_of(self, artist: Artist) -> ChartTarget | None:
        """The target of a drawn bar or slice (None for any other artist)."""
        return next((bar.target for bar in self.bars if bar.artist is artist), None)


# -- what the board shows -----------------------------------------------------------------


@dataclass(frozen=True)
class Board:
    """Everything the board draws: the numbers, the project's names and colours, and how they were chosen."""

    data: DashboardData
    names: NameBook
    now: datetime
    flt: DashboardFilter
    project_name: str
    versions: tuple[ModelVersion, ...] = ()  # the versions the filter names, for its description

    @property
    def language(self) -> str:
        return self.names.language


def load_board(project, now: datetime | None = None, flt: DashboardFilter = DashboardFilter(),
               language: str | None = None) -> Board:
    """Read the board of ``project`` at ``now`` (default: the current time) under ``flt``, in the calling thread."""
    now = now or datetime.now(timezone.utc)
    chosen = ()
    if flt.model_versions:
        wanted = set(flt.model_versions)
        chosen = tuple(v for v in model_versions(project) if v.id in wanted)
    return Board(data=dashboard(project, now, flt), names=load_names(project, language), now=now, flt=flt,
                 project_name=project.info().name, versions=chosen)


def summary_text(data: DashboardData) -> str:
    """The line above the charts: open, overdue, at risk, closed this week."""
    parts = [
        ngettext("{n} open issue", "{n} open issues", data.open_count).format(n=data.open_count),
        ngettext("{n} overdue", "{n} overdue", data.overdue_count).format(n=data.overdue_count),
        ngettext("{n} at risk", "{n} at risk", data.at_risk_count).format(n=data.at_risk_count),
        ngettext("{n} closed this week", "{n} closed this week", data.closed_this_week).format(
            n=data.closed_this_week),
    ]
    return " · ".join(parts)


def version_label(version: ModelVersion, language: str | None = None) -> str:
    """A model version as a list shows it: "structure.ifc v2 (2026-01-12)"."""
    return _("{model} v{number} ({date})").format(model=version.model_name, number=version.number,
                                                  date=format_date(version.created_at, language))


def describe_filter(board: Board) -> str:
    """The filters in words, for the exports' title and the window ("All issues" when there are none)."""
    flt, names, lang = board.flt, board.names, board.language
    parts = []
    if flt.start or flt.end:
        # the range is [start, end): the last day counted is the one before ``end``
        parts.append(_("Period: {start} – {end}").format(
            start=format_date(flt.start, lang) if flt.start else "…",
            end=format_date(flt.end - timedelta(seconds=1), lang) if flt.end else "…"))
    if flt.trades:
        parts.append(_("Trades: {trades}").format(trades=", ".join(names.trade(t) for t in flt.trades)))
    if flt.labels:
        parts.append(_("Labels: {labels}").format(labels=", ".join(names.label(c) for c in flt.labels)))
    if flt.model_versions:
        shown = ", ".join(version_label(v, lang) for v in board.versions) or _("unknown version")
        parts.append(_("Models: {versions}").format(versions=shown))
    return " · ".join(parts) if parts else _("All issues")


# -- targets -------------------------------------------------------------------------------


def _panel_can_say(flt: DashboardFilter) -> bool:
    """Whether the issues panel's filters can say everything ``flt`` keeps (else bars restrict by ids)."""
    return not (flt.start or flt.end or flt.model_versions or len(flt.trades) > 1 or len(flt.labels) > 1)


def _filter_choices(flt: DashboardFilter, trade: str | None = None) -> tuple[tuple[str, str], ...]:
    """The panel choices that repeat the board's own filters (a bar's trade takes the trade's place)."""
    choices = []
    if trade:
        choices.append(("trade", trade))
    elif len(flt.trades) == 1:
        choices.append(("trade", flt.trades[0]))
    if len(flt.labels) == 1:
        choices.append(("label", flt.labels[0]))
    return tuple(choices)


def _target(board: Board, caption: str, group: tuple, choices: tuple[tuple[str, str], ...],
            expressible: bool) -> ChartTarget:
    return ChartTarget(caption=caption, choices=choices, issue_ids=board.data.groups.get(group, ()),
                       restrict=not (expressible and _panel_can_say(board.flt)))


# -- drawing helpers -----------------------------------------------------------------------


def _new_chart(ax: Axes, key: str, nothing: str | None, bars: bool = True) -> Chart:
    """The chart ``key`` on ``ax``, titled; ``nothing`` says why it has nothing to show (then it is ``empty``).

    ``bars`` styles the axes for bars (a ring has none).
    """
    title = _(CHART_TITLES[key])
    chart = Chart(key, title, ax)
    if nothing is not None:
        _empty(ax, title, nothing)
        chart.empty = True
    elif bars:
        _style(ax, title)
    else:
        _title(ax, title)
    return chart


def _why_empty(board: Board, message: str) -> str:
    """Why a chart of some of the issues is empty: ``message``, or "No issues" when the filters keep none."""
    return _("No issues") if _no_issues(board) else message


def _title(ax: Axes, title: str) -> None:
    ax.set_title(title, loc="left", fontsize=TITLE_SIZE, fontweight="bold", color=INK, pad=10)


def _style(ax: Axes, title: str, value_axis: str = "y") -> None:
    _title(ax, title)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(GRID)
    ax.tick_params(labelsize=TEXT_SIZE, colors=MUTED, length=0)
    ax.grid(axis=value_axis, color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)


def _empty(ax: Axes, title: str, message: str) -> None:
    """A chart with nothing to show says so, in place of empty axes."""
    _title(ax, title)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_facecolor("#F9FAFB")
    ax.text(0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center", fontsize=TITLE_SIZE, color=MUTED)


def _no_issues(board: Board) -> bool:
    """Whether the filters keep no issue at all (every chart then says "No issues")."""
    return not board.data.groups


def _colour(value: str | None, fallback: str = NONE_COLOUR) -> str:
    try:
        to_rgb(value)
    except (ValueError, TypeError):
        return fallback
    return value


def _text_on(colour: str) -> str:
    """Black or white, whichever reads better on ``colour``."""
    red, green, blue = to_rgb(colour)
    return INK if 0.299 * red + 0.587 * green + 0.114 * blue > 0.6 else "white"


def _trade_ticks(ax: Axes, board: Board, trades: list[str | None]) -> None:
    """Trade codes under the bars, each on a chip of its trade's colour."""
    ax.set_xticks(range(len(trades)))
    ax.set_xticklabels([t or _("none") for t in trades])
    for label, code in zip(ax.get_xticklabels(), trades):
        trade = board.names.trades.get(code or "")
        colour = _colour(trade.colour if trade else None)
        label.set_bbox({"facecolor": colour, "edgecolor": "none", "boxstyle": "round,pad=0.3"})
        label.set_color(_text_on(colour))
        label.set_fontweight("bold")
    ax.tick_params(axis="x", pad=6)


def _legend(ax: Axes, entries: list[tuple[str, str]]) -> None:
    """A one-line legend of (name, colour) swatches, right of the chart's title."""
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(facecolor=colour, label=name) for name, colour in entries], fontsize=SMALL_SIZE,
              frameon=False, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=len(entries), borderaxespad=0.2,
              handlelength=1.2, handleheight=0.9, columnspacing=1.2)


def _integer_axis(ax: Axes, top: float) -> None:
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    ax.set_ylim(0, max(1.0, top) * 1.18)  # room for the value labels above the tallest bar


def _ordered(board: Board, codes, kind: str) -> list:
    """Codes in the project's vocabulary order (unknown ones after, None last)."""
    items = board.names.statuses if kind == "status" else board.names.priorities
    order = {code: i for i, code in enumerate(sorted(items, key=lambda c: (items[c].sort_order, c)))}
    return sorted(codes, key=lambda c: (c is None, order.get(c, len(order)), c or ""))


def _palette_colour(board: Board, code: str | None, kind: str, palette: tuple[str, ...]) -> str:
    if code is None:
        return NONE_COLOUR
    known = _ordered(board, [c for c in (board.names.statuses if kind == "status" else board.names.priorities)
                             if not (kind == "status" and board.names.is_closed(c))], kind)
    index = known.index(code) if code in known else len(known)
    return palette[index % len(palette)]


def _trades(board: Board, codes) -> list[str | None]:
    return sorted(codes, key=board.names.trade_order)


def _trade_name(board: Board, code: str | None) -> str:
    return board.names.trade(code) if code else _("No trade")


# -- the six charts ------------------------------------------------------------------------


def chart_trade_status(ax: Axes, board: Board) -> Chart:
    """Open issues per trade, stacked by status; a segment shows that trade's issues in that status."""
    counts = board.data.open_by_trade_status
    chart = _new_chart(ax, TRADE_STATUS, None if counts else _why_empty(board, _("No open issues")))
    if chart.empty:
        return chart
    trades = _trades(board, counts)
    statuses = _ordered(board, {s for by_status in counts.values() for s in by_status}, "status")
    bottoms = [0] * len(trades)
    for status in statuses:
        colour = _palette_colour(board, status, "status", STATUS_COLOURS)
        values = [counts[t].get(status, 0) for t in trades]
        rects = ax.bar(range(len(trades)), values, 0.62, bottom=bottoms, color=colour, edgecolor="white",
                       linewidth=0.8, label=board.names.status(status))
        for x, (rect, value, trade) in enumerate(zip(rects, values, trades)):
            if not value:
                continue
            rect.set_picker(True)
            name = board.names.status(status)
            caption = _("{trade} · {status}").format(trade=_trade_name(board, trade), status=name)
            choices = _filter_choices(board.flt, trade) + (("status", status),)
            target = _target(board, caption, (GROUP_TRADE_STATUS, trade, status), choices, trade is not None)
            chart.bars.append(ChartBar(caption, value, target, rect))
            if value >= max(1, 0.08 * max(sum(c.values()) for c in counts.values())):
                ax.text(x, bottoms[x] + value / 2, str(value), ha="center", va="center", fontsize=SMALL_SIZE,
                        color=_text_on(colour))
        bottoms = [b + v for b, v in zip(bottoms, values)]
    for x, total in enumerate(bottoms):
        ax.text(x, total, str(total), ha="center", va="bottom", fontsize=TEXT_SIZE, fontweight="bold", color=INK)
    _trade_ticks(ax, board, trades)
    _integer_axis(ax, max(bottoms))
    _legend(ax, [(board.names.status(s), _palette_colour(board, s, "status", STATUS_COLOURS)) for s in statuses])
    return chart


def chart_priority(ax: Axes, board: Board) -> Chart:
    """Open issues by priority, as a ring; a slice shows the open issues of that priority."""
    counts = {p: n for p, n in board.data.open_by_priority.items() if n}
    chart = _new_chart(ax, PRIORITY, None if counts else _why_empty(board, _("No open issues")), bars=False)
    if chart.empty:
        return chart
    priorities = _ordered(board, counts, "priority")
    values = [counts[p] for p in priorities]
    colours = [_palette_colour(board, p, "priority", PRIORITY_COLOURS) for p in priorities]
    names = [board.names.priority(p) if p else _("No priority") for p in priorities]
    wedges, _labels, value_texts = ax.pie(
        values, colors=colours, startangle=90, counterclock=False, autopct=lambda pct: "",
        pctdistance=0.78, wedgeprops={"width": 0.42, "edgecolor": "white", "linewidth": 1.5})
    for wedge, text, value, colour in zip(wedges, value_texts, values, colours):
        text.set_text(str(value) if value / sum(values) >= 0.04 else "")
        text.set_fontsize(TEXT_SIZE)
        text.set_fontweight("bold")
        text.set_color(_text_on(colour))
    ax.text(0, 0.06, str(sum(values)), ha="center", va="center", fontsize=16, fontweight="bold", color=INK)
    ax.text(0, -0.2, _("open"), ha="center", va="center", fontsize=TEXT_SIZE, color=MUTED)
    ax.set_aspect("equal")
    ax.set_anchor("W")  # the ring and its title start at the left edge, as the other charts do
    ax.legend(wedges, [f"{name}  {value}" for name, value in zip(names, values)], fontsize=TEXT_SIZE,
              frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5))
    for wedge, priority, name, value in zip(wedges, priorities, names, values):
        wedge.set_picker(True)
        caption = _("Priority {priority}").format(priority=name) if priority else _("No priority")
        choices = _filter_choices(board.flt) + (("status", OPEN_STATUS),)
        if priority is not None:
            choices += (("priority", priority),)
        target = _target(board, caption, (GROUP_PRIORITY, priority), choices, priority is not None)
        chart.bars.append(ChartBar(caption, value, target, wedge))
    return chart


def chart_deadlines(ax: Axes, board: Board) -> Chart:
    """Overdue and at-risk open issues per trade, side by side; a bar shows exactly those issues."""
    counts = board.data.deadlines_by_trade
    chart = _new_chart(ax, DEADLINES, None if counts else _why_empty(board, _("Nothing overdue or at risk")))
    if chart.empty:
        return chart
    trades = _trades(board, counts)
    width = 0.36
    series = ((OVERDUE, _("Overdue"), OVERDUE_COLOUR, -width / 2), (AT_RISK, _("At risk"), AT_RISK_COLOUR, width / 2))
    top = 0
    for state, name, colour, offset in series:
        values = [counts[t].get(state, 0) for t in trades]
        rects = ax.bar([x + offset for x in range(len(trades))], values, width, color=colour, label=name)
        ax.bar_label(rects, labels=[str(v) if v else "" for v in values], fontsize=TEXT_SIZE, color=INK, padding=2)
        top = max(top, *values)
        for rect, value, trade in zip(rects, values, trades):
            if not value:
                continue
            rect.set_picker(True)
            caption = _("{trade} · {state}").format(trade=_trade_name(board, trade), state=name.lower())
            target = ChartTarget(caption, _filter_choices(board.flt, trade),
                                 board.data.groups.get((GROUP_DEADLINE, trade, state), ()))
            chart.bars.append(ChartBar(caption, value, target, rect))
    _trade_ticks(ax, board, trades)
    _integer_axis(ax, top)
    _legend(ax, [(name, colour) for _state, name, colour, _offset in series])
    return chart


def chart_trend(ax: Axes, board: Board) -> Chart:
    """Issues opened and closed per ISO week; a bar shows that week's opened (or closed) issues."""
    weeks = board.data.weekly_trend
    chart = _new_chart(ax, TREND, None if weeks else _("No issues"))
    if chart.empty:
        return chart
    width = 0.38
    years = {w.week[:4] for w in weeks}
    ticks = [w.week[5:] if len(years) == 1 else w.week for w in weeks]
    series = ((GROUP_OPENED, _("Opened"), OPENED_COLOUR, -width / 2, [w.opened for w in weeks]),
              (GROUP_CLOSED, pgettext("count", "Closed"), CLOSED_COLOUR, width / 2, [w.closed for w in weeks]))
    for group, name, colour, offset, values in series:
        rects = ax.bar([x + offset for x in range(len(weeks))], values, width, color=colour, label=name)
        if len(weeks) <= 16:  # more labels than that would overlap
            ax.bar_label(rects, labels=[str(v) if v else "" for v in values], fontsize=SMALL_SIZE, color=INK,
                         padding=2)
        for rect, value, week in zip(rects, values, weeks):
            if not value:
                continue
            rect.set_picker(True)
            caption = (_("Opened in {week}") if group == GROUP_OPENED else _("Closed in {week}")).format(
                week=week.week)
            target = ChartTarget(caption, _filter_choices(board.flt), board.data.groups.get((group, week.week), ()))
            chart.bars.append(ChartBar(caption, value, target, rect))
    step = max(1, len(weeks) // 12)
    ax.set_xticks(range(0, len(weeks), step))
    ax.set_xticklabels(ticks[::step], rotation=0 if len(years) == 1 else 30)
    _integer_axis(ax, max(max(w.opened, w.closed) for w in weeks))
    _legend(ax, [(name, colour) for _group, name, colour, _offset, _values in series])
    return chart


def chart_resolve(ax: Axes, board: Board) -> Chart:
    """Mean days to resolve per trade (bar, trade colour) and the 90th percentile (marker)."""
    times = board.data.resolve_times
    chart = _new_chart(ax, RESOLVE, None if times else _why_empty(board, _("No closed issues")))
    if chart.empty:
        return chart
    trades = _trades(board, times)
    means = [times[t].mean_days for t in trades]
    p90s = [times[t].p90_days for t in trades]
    colours = []
    for code in trades:
        trade = board.names.trades.get(code or "")
        colours.append(_colour(trade.colour if trade else None))
    rects = ax.bar(range(len(trades)), means, 0.58, color=colours, edgecolor="white")
    ax.bar_label(rects, labels=[_("{days:.1f} d").format(days=m) for m in means], fontsize=SMALL_SIZE,
                 color=INK, label_type="center")
    ax.scatter(range(len(trades)), p90s, marker="_", s=420, linewidths=2.5, color=INK, zorder=3)
    for x, value in enumerate(p90s):
        ax.text(x + 0.33, value, _("{days:.1f} d").format(days=value), va="center", fontsize=SMALL_SIZE, color=MUTED)
    for rect, trade, mean in zip(rects, trades, means):
        rect.set_picker(True)
        count = times[trade].count
        caption = ngettext("{trade} · {n} resolved issue", "{trade} · {n} resolved issues", count).format(
            trade=_trade_name(board, trade), n=count)
        target = ChartTarget(caption, _filter_choices(board.flt, trade),
                             board.data.groups.get((GROUP_RESOLVED, trade), ()))
        chart.bars.append(ChartBar(caption, mean, target, rect))
    _trade_ticks(ax, board, trades)
    ax.set_ylim(0, max(max(p90s), max(means), 1.0) * 1.18)
    _legend(ax, [(_("Mean"), NONE_COLOUR), (_("90th percentile"), INK)])
    return chart


def _rate_colour(rate: float | None) -> str:
    if rate is None:
        return NONE_COLOUR
    return GOOD if rate >= 0.9 else FAIR if rate >= 0.7 else POOR


def chart_pass_rate(ax: Axes, board: Board) -> Chart:
    """Each stored check run's pass rate (the newest ``MAX_RUNS``), coloured green, amber or red."""
    runs = board.data.check_pass_rates[-MAX_RUNS:]
    chart = _new_chart(ax, PASS_RATE, None if runs else _("No stored check runs"))
    if chart.empty:
        return chart
    values = [(r.rate or 0.0) * 100 for r in runs]
    rects = ax.bar(range(len(runs)), values, 0.62, color=[_rate_colour(r.rate) for r in runs])
    labels = [_("{rate:.0f} %").format(rate=v) if r.rate is not None else _("n/a") for r, v in zip(runs, values)]
    ax.bar_label(rects, labels=labels if len(runs) <= 16 else [""] * len(runs), fontsize=SMALL_SIZE, color=INK,
                 padding=2)
    for rect, run, value in zip(rects, runs, values):
        rect.set_picker(True)
        caption = _("Check run #{id} ({ruleset})").format(id=run.run_id, ruleset=run.ruleset_key or "—")
        chart.bars.append(ChartBar(caption, value, ChartTarget(caption, restrict=False, check_run_id=run.run_id),
                                   rect))
    step = max(1, len(runs) // 10)
    ax.set_xticks(range(0, len(runs), step))
    ax.set_xticklabels([f"#{r.run_id}\n{format_date(r.created_at, board.language)}" for r in runs][::step],
                       linespacing=1.4)
    ax.set_ylim(0, 112)
    ax.set_yticks([0, 25, 50, 75, 100])
    ax.set_yticklabels([f"{v} %" for v in (0, 25, 50, 75, 100)])
    return chart


CHART_FUNCTIONS: dict[str, Callable[[Axes, Board], Chart]] = {
    TRADE_STATUS: chart_trade_status, PRIORITY: chart_priority, DEADLINES: chart_deadlines,
    TREND: chart_trend, RESOLVE: chart_resolve, PASS_RATE: chart_pass_rate,
}


# -- whole figures -------------------------------------------------------------------------


def draw_board(figure: Figure, board: Board, header: bool = False) -> list[Chart]:
    """Draw the six charts on ``figure`` (cleared first), two per row.

    ``header`` adds the project, the filters and the summary on top (the window shows
    those in widgets of its own). Returns the charts in ``CHART_KEYS`` order; their bars
    map a picked artist back to its target.
    """
    figure.clear()
    figure.set_facecolor("white")
    figure.set_layout_engine("constrained", w_pad=0.12, h_pad=0.1)
    rows = len(CHART_KEYS) // 2
    grid = figure.add_gridspec(rows + (1 if header else 0), 2,
                               height_ratios=([0.22] if header else []) + [1] * rows)
    if header:
        top = figure.add_subplot(grid[0, :])
        top.set_axis_off()
        _header(top, board)
    charts = []
    for i, key in enumerate(CHART_KEYS):
        ax = figure.add_subplot(grid[i // 2 + (1 if header else 0), i % 2])
        charts.append(CHART_FUNCTIONS[key](ax, board))
    return charts


def _header(ax: Axes, board: Board) -> None:
    ax.text(0, 1.0, _("Coordination dashboard — {project}").format(project=board.project_name),
            transform=ax.transAxes, fontsize=15, fontweight="bold", color=INK, va="top")
    ax.text(0, 0.5, describe_filter(board), transform=ax.transAxes, fontsize=TITLE_SIZE, color=MUTED, va="center")
    ax.text(0, 0.0, summary_text(board.data), transform=ax.transAxes, fontsize=11, color=INK, va="bottom",
            fontweight="bold")
    ax.text(1, 1.0, _("As of {date}").format(date=format_date(board.now, board.language)), transform=ax.transAxes,
            fontsize=TITLE_SIZE, color=MUTED, va="top", ha="right")


def board_figure(board: Board, width: float = 15.0, height: float = 14.5) -> Figure:
    """The whole board with its header, as one figure (the PNG export)."""
    figure = Figure(figsize=(width, height))
    draw_board(figure, board, header=True)
    return figure


A4_LANDSCAPE = (11.69, 8.27)


def title_page(board: Board) -> Figure:
    """The PDF's first page: project, date, filters and the four headline numbers."""
    figure = Figure(figsize=A4_LANDSCAPE)
    figure.text(0.08, 0.80, _("Coordination dashboard"), fontsize=26, fontweight="bold", color=INK)
    figure.text(0.08, 0.73, board.project_name, fontsize=18, color=INK)
    figure.text(0.08, 0.66, _("As of {date}").format(date=format_date(board.now, board.language)), fontsize=12,
                color=MUTED)
    figure.text(0.08, 0.61, describe_filter(board), fontsize=12, color=MUTED)
    data = board.data
    tiles = ((pgettext("count", "Open"), data.open_count, OPENED_COLOUR), (_("Overdue"), data.overdue_count, OVERDUE_COLOUR),
             (_("At risk"), data.at_risk_count, AT_RISK_COLOUR),
             (_("Closed this week"), data.closed_this_week, CLOSED_COLOUR))
    for i, (name, value, colour) in enumerate(tiles):
        ax = figure.add_axes((0.08 + i * 0.215, 0.30, 0.19, 0.2))
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_facecolor("#F9FAFB")
        for side, spine in ax.spines.items():
            spine.set_visible(side == "top")
            spine.set_color(colour)
            spine.set_linewidth(4)
        ax.text(0.5, 0.58, str(value), transform=ax.transAxes, ha="center", va="center", fontsize=30,
                fontweight="bold", color=INK)
        ax.text(0.5, 0.2, name, transform=ax.transAxes, ha="center", va="center", fontsize=11, color=MUTED)
    contents = ", ".join(_(CHART_TITLES[key]) for key in CHART_KEYS)
    figure.text(0.08, 0.12, _("Charts: {titles}.").format(titles=contents), fontsize=8, color=MUTED, wrap=True)
    return figure


def chart_page(board: Board, key: str) -> Figure:
    """One chart on its own A4 landscape page, with the project and date in a small header."""
    figure = Figure(figsize=A4_LANDSCAPE, layout="constrained")
    grid = figure.add_gridspec(2, 1, height_ratios=[0.06, 1])
    top = figure.add_subplot(grid[0])
    top.set_axis_off()
    top.text(0, 0.5, f"{board.project_name} · {describe_filter(board)}", transform=top.transAxes, fontsize=9,
             color=MUTED, va="center")
    top.text(1, 0.5, format_date(board.now, board.language), transform=top.transAxes, fontsize=9, color=MUTED,
             va="center", ha="right")
    CHART_FUNCTIONS[key](figure.add_subplot(grid[1]), board)
    return figure


# -- files ---------------------------------------------------------------------------------


class DashboardExportError(OSError):
    """The dashboard could not be written; the message names the file."""

    def __init__(self, path: str | Path, error: Exception):
        self.path = str(path)
        super().__init__(_("Cannot write the dashboard to {file}: {error}").format(file=path, error=error))


def render(board: Board, fmt: str) -> bytes:
    """The board as the bytes of a PNG image (the whole board) or a PDF (title page, one page per chart)."""
    buffer = io.BytesIO()
    if fmt == "png":
        board_figure(board).savefig(buffer, format="png", dpi=110, facecolor="white")
    else:
        metadata = {"Title": _("Coordination dashboard — {project}").format(project=board.project_name),
                    "Creator": "Synthese"}
        with PdfPages(buffer, metadata=metadata) as pdf:
            pdf.savefig(title_page(board))
            for key in CHART_KEYS:
                pdf.savefig(chart_page(board, key))
    return buffer.getvalue()


def write_board(board: Board, path: str | Path) -> Path:
    """Write ``board`` to ``path`` (.png or .pdf, by its extension) atomically; returns the path."""
    fmt = format_of(path, FORMATS)
    data = render(board, fmt)
    try:
        return write_atomically(path, data)
    except OSError as exc:
        raise DashboardExportError(path, exc) from exc


def export_dashboard(project, path: str | Path, now: datetime | None = None,
                     flt: DashboardFilter = DashboardFilter(), language: str | None = None) -> Path:
    """Read the board of ``project`` at ``now`` under ``flt`` and write it to ``path`` (PNG or PDF)."""
    format_of(path, FORMATS)  # a wrong extension fails before any query
    return write_board(load_board(project, now, flt, language), path)
