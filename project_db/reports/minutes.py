"""Meeting minutes (compte rendu): what a coordination meeting decided, as PDF, XLSX or HTML.

:func:`gather_minutes` reads a stored meeting and, for each issue on its agenda, the
issue's first snapshot into a :class:`MinutesContent`; :func:`render_minutes` is a
pure function from that content to a file's bytes; :func:`generate_minutes` does
both and stores the result in the project, so minutes can be regenerated at any
time and always say what the meeting recorded (the items keep the statuses, owners
and due dates of the meeting, not the issues' current ones).

The summary per trade counts, over the trade's agenda items: those discussed, those
closed by the meeting (status after it is a closed one), the actions still open
(an action was recorded and the issue was not closed) and those overdue at the
meeting's date (the due date the meeting set, else the issue's deadline by
:mod:`project_db.deadlines`, passed at ``held_at`` and the issue not closed).
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone

from openpyxl import Workbook
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Spacer

from bim.i18n import _, ngettext, pgettext
from bim.progress import CancelFn, ProgressFn, check_cancelled, report
from bim.spreadsheet import DATE_FORMAT_XLSX, DATETIME_FORMAT_XLSX, write_facts, write_table
from project_db.deadlines import due_dates
from project_db.errors import NotFound
from project_db.records import MINUTES_FORMATS, IssueDetail, Meeting, MeetingItem
from project_db.reports import pdf_layout as pdf
from project_db.reports.common import NameBook, format_date, format_datetime, image_mime, load_names


@dataclass(frozen=True)
class MinutesItem:
    """One agenda item as the minutes print it: codes turned into names, the meeting's values kept."""

    position: int
    issue_id: int
    number: int | None
    title: str
    trade_code: str | None
    trade: str
    discussed: bool
    status_before: str
    status_after: str
    closed: bool  # the meeting left the issue in a closed status
    decision: str | None
    action: str | None
    comment: str | None
    owner: str
    due_date: datetime | None
    overdue: bool
    discussed_at: datetime | None = None
    discussed_by: str = ""
    snapshot: bytes | None = None

    @property
    def status_change(self) -> str:
        """"Open → Closed", or the one status when the meeting did not change it."""
        if self.status_after and self.status_after != self.status_before:
            return f"{self.status_before or '?'} → {self.status_after}"
        return self.status_before or self.status_after or ""

    @property
    def heading(self) -> str:
        """"#12 Title" (the title alone for an issue without a number)."""
        if self.number is None:
            return self.title
        return _("#{number} {title}").format(number=self.number, title=self.title)


@dataclass(frozen=True)
class TradeSummary:
    """The meeting's figures for one trade."""

    trade: str
    on_agenda: int
    discussed: int
    closed: int
    actions_open: int
    overdue: int


@dataclass(frozen=True)
class MinutesContent:
    """Everything the minutes show, ready to render in any format."""

    project_name: str
    meeting_id: int | None
    number: int | None
    title: str
    held_at: datetime
    location: str | None
    attendees: tuple[str, ...]
    author: str
    state: str
    notes: str | None
    items: tuple[MinutesItem, ...]  # the whole agenda, in order
    trade_summary: tuple[TradeSummary, ...]
    generated_at: datetime
    generated_by: str = ""
    language: str = "en"

    @property
    def discussed(self) -> tuple[MinutesItem, ...]:
        """The items the meeting discussed, in agenda order."""
        return tuple(item for item in self.items if item.discussed)

    @property
    def not_discussed(self) -> tuple[MinutesItem, ...]:
        """The items left on the agenda without discussion."""
        return tuple(item for item in self.items if not item.discussed)

    @property
    def document_title(self) -> str:
        """"Minutes of meeting 3: Synthesis meeting"."""
        if self.number is None:
            return _("Minutes: {title}").format(title=self.title)
        return _("Minutes of meeting {number}: {title}").format(number=self.number, title=self.title)

    def totals(self) -> TradeSummary:
        """The summary's total line."""
        lines = self.trade_summary
        return TradeSummary(_("Total"), *(sum(getattr(line, f) for line in lines) for f in
                                          ("on_agenda", "discussed", "closed", "actions_open", "overdue")))


# -- gathering -------------------------------------------------------------------------------


def gather_minutes(project, meeting_id: int, language: str | None = None, *, generated_by: str = "",
                   now: datetime | None = None, progress: ProgressFn | None = None,
                   cancel: CancelFn | None = None) -> MinutesContent:
    """Read meeting ``meeting_id`` and its agenda's issues (for their snapshots and deadlines).

    Raises :class:`project_db.errors.NotFound` for an unknown meeting. An issue
    deleted since the meeting is still listed with what the meeting recorded.
    """
    meeting = project.meetings.get(meeting_id)
    names = load_names(project, language)
    project_name = project.info().name
    details: dict[int, IssueDetail | None] = {}
    total = len(meeting.items)
    for done, item in enumerate(meeting.items):
        check_cancelled(cancel)
        report(progress, done, total, _("Issue #{number}").format(number=item.issue_number or item.issue_id))
        try:
            details[item.issue_id] = project.issues.detail(item.issue_id, include_deleted=True)
        except NotFound:
            details[item.issue_id] = None
    check_cancelled(cancel)
    report(progress, total, total, _("Meeting read"))
    return build_minutes(meeting, details, names, project_name=project_name,
                         generated_at=now or datetime.now(timezone.utc), generated_by=generated_by)


def build_minutes(meeting: Meeting, details: Mapping[int, IssueDetail | None], names: NameBook, *,
                  project_name: str, generated_at: datetime, generated_by: str = "") -> MinutesContent:
    """The minutes' content from a meeting record and its issues' details (``details`` by issue id)."""
    items = tuple(_item(item, details.get(item.issue_id), names, meeting.held_at)
                  for item in sorted(meeting.items, key=lambda i: i.position))
    return MinutesContent(
        project_name=project_name, meeting_id=meeting.id, number=meeting.number, title=meeting.title,
        held_at=meeting.held_at, location=meeting.location,
        attendees=tuple(names.user(a) for a in meeting.attendees), author=names.user(meeting.created_by),
        state=meeting.state, notes=meeting.notes, items=items, trade_summary=_trade_summary(items, names),
        generated_at=generated_at, generated_by=names.user(generated_by), language=names.language,
    )


def _item(item: MeetingItem, detail: IssueDetail | None, names: NameBook, held_at: datetime) -> MinutesItem:
    issue = detail.issue if detail else None
    trade = item.trade or (issue.responsible_trade if issue else None)
    status_before = item.status_before or (issue.status if issue and not item.discussed else None)
    status_after = item.status_after or status_before
    closed = names.is_closed(status_after)
    snapshot = None
    if detail is not None:
        snapshot = next((v.viewpoint.snapshot_png for v in detail.viewpoints if v.viewpoint.snapshot_png), None)
    return MinutesItem(
        position=item.position, issue_id=item.issue_id,
        number=item.issue_number if item.issue_number is not None else (issue.number if issue else None),
        title=item.issue_title or (issue.title if issue else _("(deleted issue)")),
        trade_code=trade, trade=names.trade(trade) or _("No trade"), discussed=item.discussed,
        status_before=names.status(status_before), status_after=names.status(status_after), closed=closed,
        decision=item.decision, action=item.action, comment=item.comment, owner=names.user(item.owner),
        due_date=item.due_date, overdue=_overdue(item, issue, names, held_at, closed),
        discussed_at=item.discussed_at, discussed_by=names.user(item.discussed_by), snapshot=snapshot,
    )


def _overdue(item: MeetingItem, issue, names: NameBook, held_at: datetime, closed: bool) -> bool:
    if closed:
        return False
    due = item.due_date
    if due is None and issue is not None:
        trade = names.trades.get(issue.responsible_trade or "")
        _response, due = due_dates(issue, trade.delay_for(issue.priority) if trade else None)
    return due is not None and due < held_at


def _trade_summary(items: tuple[MinutesItem, ...], names: NameBook) -> tuple[TradeSummary, ...]:
    by_trade: dict[str | None, list[MinutesItem]] = {}
    for item in items:
        by_trade.setdefault(item.trade_code, []).append(item)
    return tuple(
        TradeSummary(
            trade=by_trade[code][0].trade, on_agenda=len(by_trade[code]),
            discussed=sum(1 for i in by_trade[code] if i.discussed),
            closed=sum(1 for i in by_trade[code] if i.discussed and i.closed),
            actions_open=sum(1 for i in by_trade[code] if i.discussed and i.action and not i.closed),
            overdue=sum(1 for i in by_trade[code] if i.overdue))
        for code in sorted(by_trade, key=names.trade_order))


def generate_minutes(project, meeting_id: int, fmt: str, author: str, language: str | None = None, *,
                     progress: ProgressFn | None = None, cancel: CancelFn | None = None) -> bytes:
    """Gather, render as ``fmt`` and store meeting ``meeting_id``'s minutes in the project; returns the bytes.

    The stored copy replaces the previous minutes of that format (``project.meetings.store_minutes``).
    """
    _check_format(fmt)
    content = gather_minutes(project, meeting_id, language, generated_by=author, progress=progress, cancel=cancel)
    data = render_minutes(content, fmt)
    check_cancelled(cancel)
    project.meetings.store_minutes(meeting_id, fmt, data, author)
    return data


# -- rendering -------------------------------------------------------------------------------


def render_minutes(content: MinutesContent, fmt: str) -> bytes:
    """The minutes as the bytes of a ``"pdf"``, ``"xlsx"`` or ``"html"`` file."""
    _check_format(fmt)
    return {"pdf": render_pdf, "xlsx": render_xlsx, "html": render_html}[fmt](content)


def _check_format(fmt: str) -> None:
    if fmt not in MINUTES_FORMATS:
        raise ValueError(_("Minutes are written as {formats}, not {format}.").format(
            formats=", ".join(MINUTES_FORMATS), format=fmt))


def _header_pairs(content: MinutesContent) -> list[tuple[str, str]]:
    lang = content.language
    pairs = [(_("Project"), content.project_name),
             (_("Meeting"), str(content.number) if content.number is not None else "–"),
             (_("Title"), content.title), (_("Date"), format_datetime(content.held_at, lang)),
             (pgettext("meeting", "Location"), content.location or "–"),
             (_("Attendees"), ", ".join(content.attendees) or _("none recorded")),
             (_("Author"), content.author or "–")]
    if content.notes:
        pairs.append((_("Notes"), content.notes))
    return pairs


def _summary_columns() -> list[str]:
    return [_("Trade"), _("On the agenda"), _("Discussed"), pgettext("count", "Closed"), _("Actions open"), _("Overdue")]


def _summary_rows(content: MinutesContent) -> list[list]:
    lines = [*content.trade_summary, content.totals()] if content.trade_summary else []
    return [[line.trade, line.on_agenda, line.discussed, line.closed, line.actions_open, line.overdue]
            for line in lines]


def _item_pairs(item: MinutesItem, lang: str) -> list[tuple[str, str]]:
    return [(_("Trade"), item.trade), (_("Status"), item.status_change),
            (_("Owner"), item.owner or "–"), (_("Due date"), format_date(item.due_date, lang) or "–")]


def _item_texts(item: MinutesItem) -> list[tuple[str, str]]:
    return [(label, value) for label, value in ((_("Decision"), item.decision), (_("Action"), item.action),
                                                (_("Comment"), item.comment)) if value]


def _nothing_line(content: MinutesContent) -> str | None:
    if not content.items:
        return _("No issue was on the agenda.")
    if not content.discussed:
        return _("No issue was discussed.")
    return None


def render_pdf(content: MinutesContent) -> bytes:
    """The minutes as a PDF: header, summary per trade, each discussed issue, the ones not discussed."""
    style = pdf.styles()
    lang = content.language
    story = [pdf.text(content.document_title, style.title), pdf.field_table(_header_pairs(content), style,
                                                                             per_row=1)]
    if content.trade_summary:
        story.append(pdf.text(_("Summary per trade"), style.heading))
        columns = _summary_columns()
        first = 52 * mm
        other = (pdf.FRAME_WIDTH - first) / (len(columns) - 1)
        story.append(pdf.grid_table(columns, _summary_rows(content), style, [first] + [other] * (len(columns) - 1),
                                    numeric=tuple(range(1, len(columns))), total_row=True))
    nothing = _nothing_line(content)
    if nothing:
        story.append(pdf.text(nothing, style.heading))
    if content.discussed:
        story.append(pdf.text(_("Issues discussed"), style.heading))
    for item in content.discussed:
        block = [pdf.text(item.heading, style.subheading), pdf.field_table(_item_pairs(item, lang), style)]
        texts = _item_texts(item)
        if texts:
            block.append(pdf.field_table(texts, style, per_row=1))
        story += [CondPageBreak(55 * mm), KeepTogether(block)]
        image = pdf.snapshot(item.snapshot, max_height=65 * mm)
        if image is not None:
            story += [Spacer(1, 2 * mm), image]
        story.append(Spacer(1, 4 * mm))
    if content.not_discussed:
        story.append(pdf.text(_("Not discussed"), style.heading))
        rows = [[item.number if item.number is not None else "–", item.title, item.trade, _("not discussed")]
                for item in content.not_discussed]
        story.append(pdf.grid_table([_("Number"), _("Title"), _("Trade"), _("Outcome")], rows, style,
                                    [20 * mm, pdf.FRAME_WIDTH - 98 * mm, 48 * mm, 30 * mm], numeric=(0,)))
    return pdf.build_pdf(story, project_name=content.project_name, title=content.document_title,
                         generated_at=content.generated_at, language=lang, author=content.generated_by)


def render_xlsx(content: MinutesContent) -> bytes:
    """The minutes as a workbook: the meeting, its agenda items (one row each), the summary per trade."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Meeting")
    facts = [(label, value) for label, value in _header_pairs(content) if label != _("Date")]
    facts.insert(3, (_("Date"), content.held_at))
    facts.append((_("Generated on"), content.generated_at))
    write_facts(sheet, facts)
    nothing = _nothing_line(content)
    if nothing:
        sheet.cell(row=len(facts) + 2, column=1, value=nothing)
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 18, 70

    columns = [(_("Position"), 9), (_("Number"), 9), (_("Title"), 44), (_("Trade"), 26), (_("Discussed"), 11),
               (_("Status before"), 14), (_("Status after"), 14), (_("Decision"), 44), (_("Action"), 44),
               (_("Owner"), 20), (_("Due date"), 12), (_("Comment"), 44), (_("Overdue"), 10),
               (_("Discussed at"), 17), (_("Discussed by"), 18)]
    yes, no = _("yes"), _("no")
    rows = [[item.position, item.number, item.title, item.trade, yes if item.discussed else no,
             item.status_before or None, (item.status_after or None) if item.discussed else None, item.decision,
             item.action, item.owner or None, item.due_date, item.comment, yes if item.overdue else no,
             item.discussed_at, item.discussed_by or None] for item in content.items]
    write_table(workbook.create_sheet(_("Items")), 1, columns, rows,
                formats={10: DATE_FORMAT_XLSX, 13: DATETIME_FORMAT_XLSX})
    summary = [(title, 26 if i == 0 else 14) for i, title in enumerate(_summary_columns())]
    write_table(workbook.create_sheet(_("Summary per trade")), 1, summary, _summary_rows(content))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 1.6em; } h3 { font-size: 1.05em; margin-bottom: .3em; }
table { border-collapse: collapse; margin: .4em 0; }
th, td { border: 1px solid #bbb; padding: .25em .5em; text-align: left; vertical-align: top; }
th { background: #eee; } td.n { text-align: right; }
table.header th { width: 9em; } section.item { margin-bottom: 1.2em; }
img.snapshot { max-width: 32em; max-height: 20em; border: 1px solid #ccc; }
p.text { white-space: pre-wrap; margin: .2em 0; } footer { margin-top: 2em; color: #666; font-size: .85em; }
"""


def _h(value) -> str:
    return html.escape("" if value is None else str(value))


def render_html(content: MinutesContent) -> bytes:
    """The minutes as one self-contained HTML page (snapshots inline as data: URIs), every text escaped."""
    lang = content.language
    # labels first: gettext cannot see a _() call written inside an f-string
    labels = {"summary": _("Summary per trade"), "discussed": _("Issues discussed"), "snapshot": _("Snapshot"),
              "not_discussed": _("Not discussed"), "outcome": _("not discussed")}
    out = [f'<!DOCTYPE html>\n<html lang="{_h(lang)}">\n<head>\n<meta charset="utf-8">',
           f"<title>{_h(content.document_title)} – {_h(content.project_name)}</title>",
           f"<style>{_CSS}</style>\n</head>\n<body>",
           f"<h1>{_h(content.document_title)}</h1>", '<table class="header">']
    out += [f"<tr><th>{_h(label)}</th><td>{_h(value)}</td></tr>" for label, value in _header_pairs(content)]
    out.append("</table>")
    if content.trade_summary:
        out.append(f"<h2>{_h(labels['summary'])}</h2>")
        out.append('<table class="trade-summary"><thead><tr>'
                   + "".join(f"<th>{_h(c)}</th>" for c in _summary_columns()) + "</tr></thead><tbody>")
        rows = _summary_rows(content)
        for index, row in enumerate(rows):
            tag = ' class="total"' if index == len(rows) - 1 else ""
            out.append(f"<tr{tag}><td>{_h(row[0])}</td>" + "".join(f'<td class="n">{v}</td>' for v in row[1:])
                       + "</tr>")
        out.append("</tbody></table>")
    nothing = _nothing_line(content)
    if nothing:
        out.append(f'<p class="nothing">{_h(nothing)}</p>')
    if content.discussed:
        out.append(f"<h2>{_h(labels['discussed'])}</h2>")
    for item in content.discussed:
        out.append(f'<section class="item" data-issue="{item.issue_id}"><h3>{_h(item.heading)}</h3><table>')
        out += [f"<tr><th>{_h(label)}</th><td>{_h(value)}</td></tr>"
                for label, value in _item_pairs(item, lang) + _item_texts(item)]
        out.append("</table>")
        mime = image_mime(item.snapshot)
        if mime:
            data = base64.b64encode(item.snapshot).decode("ascii")
            out.append(f'<img class="snapshot" alt="{_h(labels["snapshot"])}" src="data:{mime};base64,{data}">')
        out.append("</section>")
    if content.not_discussed:
        out.append(f"<h2>{_h(labels['not_discussed'])}</h2>")
        out.append('<ul class="not-discussed">')
        out += [f"<li>{_h(item.heading)} ({_h(item.trade)}): {_h(labels['outcome'])}</li>"
                for item in content.not_discussed]
        out.append("</ul>")
    footer = _("Generated on {date}").format(date=format_datetime(content.generated_at, lang))
    if content.generated_by:
        footer = _("Generated on {date} by {author}").format(date=format_datetime(content.generated_at, lang),
                                                             author=content.generated_by)
    out.append(f"<footer>{_h(footer)}</footer>\n</body>\n</html>\n")
    return "\n".join(out).encode("utf-8")


def minutes_summary_line(content: MinutesContent) -> str:
    """One line for a terminal or a status bar: how many issues were discussed and how many were not."""
    return ngettext("{n} issue discussed", "{n} issues discussed", len(content.discussed)).format(
        n=len(content.discussed)) + ", " + ngettext(
        "{n} not discussed", "{n} not discussed", len(content.not_discussed)).format(n=len(content.not_discussed))
