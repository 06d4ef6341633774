"""Issue reports: a filtered issue list as a PDF (one block per issue) or an XLSX workbook.

:func:`gather_issues` reads the issues matching a filter with their first snapshot,
comments and deadline state into an :class:`IssueReportContent` (one query for the
list, then one per issue, reporting progress and honouring cancel between them);
:func:`render_issue_report` turns that content into the file's bytes without
touching the database, so the GUI can gather off its main thread and the CLI and
tests can render the same content. Labels are in the current language (``_()``),
trade and vocabulary names in the content's ``language``.

The deadline shown is the one :mod:`project_db.deadlines` computes: the issue's own
due date, else its creation date plus its trade's resolution delay for its priority.
``overdue=True`` keeps the issues whose state is overdue by that same rule, so an
issue listed as overdue in the report is one the filter keeps.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from openpyxl import Workbook
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Spacer

from bim.i18n import _, ngettext
from bim.progress import CancelFn, ProgressFn, check_cancelled, report
from bim.spreadsheet import BOLD, DATE_FORMAT_XLSX, DATETIME_FORMAT_XLSX, write_facts, write_table
from project_db.deadlines import OVERDUE, deadline_state, format_lateness, state_label
from project_db.records import IssueFilter, IssueRow
from project_db.reports import pdf_layout as pdf
from project_db.reports.common import NameBook, format_date, format_datetime, load_names

ISSUE_REPORT_FORMATS = ("pdf", "xlsx")


@dataclass(frozen=True)
class CommentEntry:
    """One comment as the report prints it (author by name)."""

    author: str
    date: datetime
    text: str


@dataclass(frozen=True)
class IssueEntry:
    """One issue as the report prints it: codes already turned into names.

    ``due_date`` is the resolution due date the deadline state is measured against;
    ``deadline_state`` is one of :data:`project_db.deadlines.STATES` or None when
    the issue has no due date, ``deadline`` its text ("Overdue by 2 d 3 h" …).
    """

    id: int
    number: int
    title: str
    topic_type: str
    trade_code: str | None
    trade: str
    status_code: str
    status: str
    is_closed: bool
    priority: str
    assignee: str
    due_date: datetime | None
    deadline_state: str | None
    deadline: str
    late: timedelta
    labels: tuple[str, ...]
    storey: str | None
    space: str | None
    description: str | None
    creation_date: datetime | None
    creation_author: str
    snapshot: bytes | None
    comments: tuple[CommentEntry, ...]

    @property
    def location(self) -> str:
        """Storey and space, as one line."""
        return " / ".join(part for part in (self.storey, self.space) if part)


@dataclass(frozen=True)
class TradeCount:
    """One line of the summary: a trade's issues per status (in the content's status order), total and overdue."""

    trade: str
    per_status: tuple[int, ...]
    total: int
    overdue: int


@dataclass(frozen=True)
class IssueReportContent:
    """Everything an issue report shows, ready to render."""

    project_name: str
    title: str
    generated_at: datetime
    language: str
    filters: tuple[str, ...]  # the filters applied, as sentences ("Trade: HVAC" …)
    issues: tuple[IssueEntry, ...]
    statuses: tuple[str, ...]  # status names, the summary's columns
    summary: tuple[TradeCount, ...]

    @property
    def overdue(self) -> int:
        """How many issues are overdue."""
        return sum(1 for issue in self.issues if issue.deadline_state == OVERDUE)


# -- gathering -------------------------------------------------------------------------------


def gather_issues(project, flt: IssueFilter = IssueFilter(), *, overdue: bool = False, language: str | None = None,
                  title: str | None = None, now: datetime | None = None, progress: ProgressFn | None = None,
                  cancel: CancelFn | None = None) -> IssueReportContent:
    """Read the issues matching ``flt`` (and overdue at ``now`` when ``overdue``) into a report's content.

    ``progress(done, total, message)`` is called once per issue; when ``cancel()``
    turns true :class:`bim.progress.Cancelled` is raised. Nothing is written.
    """
    now = now or datetime.now(timezone.utc)
    names = load_names(project, language)
    project_name = project.info().name
    rows = project.issues.list_rows(flt)
    states = {row.id: _state(row, names, now) for row in rows}
    if overdue:
        rows = [row for row in rows if states[row.id] is not None and states[row.id].state == OVERDUE]
    entries = []
    for done, row in enumerate(rows):
        check_cancelled(cancel)
        report(progress, done, len(rows), _("Issue #{number}").format(number=row.number))
        entries.append(_entry(project.issues.detail(row.id), row, states[row.id], names))
    check_cancelled(cancel)
    report(progress, len(rows), len(rows), _("Issues read"))
    return IssueReportContent(
        project_name=project_name, title=title or _("Issue report"), generated_at=now, language=names.language,
        filters=describe_filter(flt, names, overdue), issues=tuple(entries),
        statuses=_status_columns(entries, names), summary=_summary(entries, names),
    )


def describe_filter(flt: IssueFilter, names: NameBook, overdue: bool = False) -> tuple[str, ...]:
    """The filter as sentences a reader understands, in the order of the issues panel."""
    parts = []
    for values, label, name in (
        (flt.trades, _("Trade"), names.trade), (flt.statuses, _("Status"), names.status),
        (flt.priorities, _("Priority"), names.priority), (flt.assignees, _("Assigned to"), names.user),
        (flt.labels, _("Label"), names.label),
    ):
        if values:
            parts.append(_("{field}: {values}").format(field=label, values=", ".join(name(v) for v in values)))
    if flt.text:
        parts.append(_("Text: “{text}”").format(text=flt.text.strip()))
    if flt.open_only:
        parts.append(_("Open issues only"))
    if overdue:
        parts.append(_("Overdue issues only"))
    return tuple(parts)


def _state(row: IssueRow, names: NameBook, now: datetime):
    trade = names.trades.get(row.responsible_trade or "")
    return deadline_state(row, trade.delay_for(row.priority) if trade else None, now)


def _deadline_text(state) -> str:
    if state is None:
        return _("No deadline")
    if state.state == OVERDUE:
        return _("Overdue by {late}").format(late=format_lateness(state.late))
    return state_label(state.state)


def _entry(detail, row: IssueRow, state, names: NameBook) -> IssueEntry:
    issue = detail.issue
    snapshot = next((v.viewpoint.snapshot_png for v in detail.viewpoints if v.viewpoint.snapshot_png), None)
    comments = tuple(CommentEntry(author=names.user(c.author), date=c.date, text=c.text)
                     for c in sorted(detail.comments, key=lambda c: c.date))
    return IssueEntry(
        id=row.id, number=row.number, title=issue.title, topic_type=issue.topic_type,
        trade_code=issue.responsible_trade, trade=names.trade(issue.responsible_trade), status_code=issue.status,
        status=names.status(issue.status), is_closed=row.is_closed, priority=names.priority(issue.priority),
        assignee=names.user(issue.assigned_to), due_date=state.resolution_due if state else issue.due_date,
        deadline_state=state.state if state else None, deadline=_deadline_text(state),
        late=state.late if state else timedelta(0), labels=tuple(names.label(code) for code in issue.labels),
        storey=issue.location_storey, space=issue.location_space, description=issue.description,
        creation_date=issue.creation_date, creation_author=names.user(issue.creation_author), snapshot=snapshot,
        comments=comments,
    )


def _status_columns(entries: list[IssueEntry], names: NameBook) -> tuple[str, ...]:
    """The project's statuses in their order, then any other status an issue has."""
    used = {e.status_code for e in entries}
    ordered = sorted(names.statuses.values(), key=lambda v: (v.sort_order, v.code))
    codes = [v.code for v in ordered if v.active or v.code in used]
    codes += sorted(used - set(codes))
    return tuple(names.status(code) for code in codes)


def _summary(entries: list[IssueEntry], names: NameBook) -> tuple[TradeCount, ...]:
    columns = _status_columns(entries, names)
    by_trade: dict[str | None, list[IssueEntry]] = {}
    for entry in entries:
        by_trade.setdefault(entry.trade_code, []).append(entry)
    lines = []
    for code in sorted(by_trade, key=names.trade_order):
        issues = by_trade[code]
        counts = Counter(e.status for e in issues)
        lines.append(TradeCount(trade=names.trade(code) if code else _("No trade"),
                                per_status=tuple(counts.get(s, 0) for s in columns), total=len(issues),
                                overdue=sum(1 for e in issues if e.deadline_state == OVERDUE)))
    return tuple(lines)


# -- rendering -------------------------------------------------------------------------------


def render_issue_report(content: IssueReportContent, fmt: str) -> bytes:
    """The report as the bytes of a ``"pdf"`` or ``"xlsx"`` file."""
    if fmt == "pdf":
        return render_pdf(content)
    if fmt == "xlsx":
        return render_xlsx(content)
    raise ValueError(_("Issue reports are written as {formats}, not {format}.").format(
        formats=", ".join(ISSUE_REPORT_FORMATS), format=fmt))


def _count_line(content: IssueReportContent) -> str:
    count = ngettext("{n} issue", "{n} issues", len(content.issues)).format(n=len(content.issues))
    if content.overdue:
        count += ", " + ngettext("{n} overdue", "{n} overdue", content.overdue).format(n=content.overdue)
    return count


def _empty_line(content: IssueReportContent) -> str:
    return _("No issues match these filters.") if content.filters else _("This project has no issues.")


def render_pdf(content: IssueReportContent) -> bytes:
    """The report as a PDF: a summary, then one block per issue (fields, description, snapshot, comments)."""
    style = pdf.styles()
    lang = content.language
    story = [pdf.text(content.title, style.title),
             pdf.text(_("Project: {name}").format(name=content.project_name), style.body)]
    if content.filters:
        story.append(pdf.text(_("Filters: {filters}").format(filters="; ".join(content.filters)), style.body))
    story.append(pdf.text(_count_line(content), style.body))
    if not content.issues:
        story.append(pdf.text(_empty_line(content), style.heading))
        return pdf.build_pdf(story, project_name=content.project_name, title=content.title,
                             generated_at=content.generated_at, language=lang)
    story.append(pdf.text(_("Summary per trade"), style.heading))
    header = [_("Trade"), *content.statuses, _("Total"), _("Overdue")]
    rows = [[line.trade, *line.per_status, line.total, line.overdue] for line in content.summary]
    rows.append([_("Total"), *(sum(col) for col in zip(*(l.per_status for l in content.summary))),
                 len(content.issues), content.overdue])
    first = 45 * mm
    other = (pdf.FRAME_WIDTH - first) / (len(header) - 1)
    story.append(pdf.grid_table(header, rows, style, [first] + [other] * (len(header) - 1),
                                numeric=tuple(range(1, len(header))), total_row=True))
    for issue in content.issues:
        story.extend(_issue_block(issue, style, lang))
    return pdf.build_pdf(story, project_name=content.project_name, title=content.title,
                         generated_at=content.generated_at, language=lang)


def _issue_block(issue: IssueEntry, style: pdf.Styles, lang: str) -> list:
    due = format_date(issue.due_date, lang) if issue.due_date else _("none")
    pairs = [(_("Trade"), issue.trade or _("No trade")), (_("Status"), issue.status),
             (_("Priority"), issue.priority or "–"), (_("Assigned to"), issue.assignee or _("nobody")),
             (_("Due date"), due), (_("Deadline"), issue.deadline),
             (_("Labels"), ", ".join(issue.labels) or "–"), (_("Location"), issue.location or "–"),
             (_("Type"), issue.topic_type),
             (_("Created"), _("{date} by {author}").format(date=format_datetime(issue.creation_date, lang),
                                                           author=issue.creation_author or "?"))]
    heading = pdf.text(_("#{number} {title}").format(number=issue.number, title=issue.title), style.heading)
    block = [CondPageBreak(60 * mm), KeepTogether([heading, pdf.field_table(pairs, style)])]
    if issue.description:
        block += [Spacer(1, 3 * mm), pdf.text(issue.description, style.body)]
    image = pdf.snapshot(issue.snapshot)
    if image is not None:
        block += [Spacer(1, 2 * mm), image]
    elif issue.snapshot:
        block.append(pdf.text(_("(the snapshot cannot be read)"), style.small))
    if issue.comments:
        block.append(pdf.text(ngettext("{n} comment", "{n} comments", len(issue.comments)).format(
            n=len(issue.comments)), style.subheading))
        for comment in issue.comments:
            block.append(KeepTogether([
                pdf.text(_("{author}, {date}").format(author=comment.author,
                                                      date=format_datetime(comment.date, lang)), style.small),
                pdf.text(comment.text, style.body)]))
    block.append(Spacer(1, 5 * mm))
    return block


def render_xlsx(content: IssueReportContent) -> bytes:
    """The report as a workbook: a summary sheet, the issues (one row each) and their comments."""
    workbook = Workbook()
    _summary_sheet(workbook.active, content)
    _issues_sheet(workbook.create_sheet(_("Issues")), content)
    _comments_sheet(workbook.create_sheet(_("Comments")), content)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _summary_sheet(sheet, content: IssueReportContent) -> None:
    sheet.title = _("Summary")
    facts = [(_("Report"), content.title), (_("Project"), content.project_name),
             (_("Generated on"), content.generated_at), (_("Filters"), "; ".join(content.filters) or _("none")),
             (_("Issues"), len(content.issues)), (_("Overdue"), content.overdue)]
    write_facts(sheet, facts)
    header_row = len(facts) + 2
    if not content.issues:
        sheet.cell(row=header_row, column=1, value=_empty_line(content))
        sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 30, 40
        return
    columns = [(_("Trade"), 30), *((s, 12) for s in content.statuses), (_("Total"), 10), (_("Overdue"), 10)]
    rows = [[line.trade, *line.per_status, line.total, line.overdue] for line in content.summary]
    write_table(sheet, header_row, columns, rows)
    total_row = header_row + len(rows) + 1
    totals = [_("Total"), *(sum(col) for col in zip(*(l.per_status for l in content.summary))),
              len(content.issues), content.overdue]
    for column, value in enumerate(totals, start=1):
        sheet.cell(row=total_row, column=column, value=value).font = BOLD


def _issues_sheet(sheet, content: IssueReportContent) -> None:
    columns = [(_("Number"), 9), (_("Title"), 48), (_("Type"), 12), (_("Trade"), 26), (_("Status"), 14),
               (_("Priority"), 12), (_("Assigned to"), 22), (_("Due date"), 12), (_("Deadline"), 22),
               (_("Days late"), 10), (_("Labels"), 26), (_("Storey"), 16), (_("Space"), 16),
               (_("Description"), 60), (_("Created"), 17), (_("Created by"), 18), (_("Comments"), 11)]
    rows = [[e.number, e.title, e.topic_type, e.trade or None, e.status, e.priority or None, e.assignee or None,
             e.due_date, e.deadline, round(e.late.total_seconds() / 86400, 1) if e.late else None,
             ", ".join(e.labels) or None, e.storey, e.space, e.description, e.creation_date,
             e.creation_author or None, len(e.comments)] for e in content.issues]
    write_table(sheet, 1, columns, rows, formats={7: DATE_FORMAT_XLSX, 14: DATETIME_FORMAT_XLSX})


def _comments_sheet(sheet, content: IssueReportContent) -> None:
    columns = [(_("Number"), 9), (_("Issue"), 40), (_("Author"), 22), (_("Date"), 17), (_("Comment"), 80)]
    rows = [[e.number, e.title, c.author, c.date, c.text] for e in content.issues for c in e.comments]
    write_table(sheet, 1, columns, rows, formats={3: DATETIME_FORMAT_XLSX})
