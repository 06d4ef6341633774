"""The read-only side of the meeting view: the current issue's facts, description, recent comments and history."""

from __future__ import annotations

from datetime import datetime, timezone
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QTabWidget, QTextBrowser, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from bim.i18n import N_, _
from project_db.deadlines import AT_RISK, CLOSED, OVERDUE, deadline_state, format_lateness, state_label
from ui.issue_text import field_label, format_day, format_moment, format_value
from ui.project_session import Vocabulary

RECENT_COMMENTS = 6  # more would push the description out of sight in a meeting
STATE_COLOURS = {OVERDUE: "#c62828", AT_RISK: "#ef6c00", CLOSED: "#757575"}
ON_TIME_COLOUR = "#2e7d32"


def deadline_text(issue, vocabulary: Vocabulary, now: datetime | None = None) -> tuple[str, str]:
    """(text, colour) of the issue's deadline state: "Overdue by 3 d 2 h", "At risk" … ("" without a due date)."""
    trade = vocabulary.trade(issue.responsible_trade)
    delay = trade.delay_for(issue.priority) if trade else None
    closed = any(s.code == issue.status and s.is_closed for s in vocabulary.statuses)
    state = deadline_state(issue, delay, now or datetime.now(timezone.utc), closed=closed)
    if state is None:
        return "", ""
    text = state_label(state.state)
    if state.state == OVERDUE:
        text = _("Overdue by {late}").format(late=format_lateness(state.late))
    elif state.state != CLOSED:
        text = _("{state}, due {date}").format(state=text, date=format_day(state.resolution_due))
    return text, STATE_COLOURS.get(state.state, ON_TIME_COLOUR)


# The facts grid: (key, label), three to a row.
FACTS = (("trade", N_("Trade")), ("status", N_("Status")), ("priority", N_("Priority")),
         ("assignee", N_("Assigned to")), ("due", N_("Due")), ("deadline", N_("Deadline")),
         ("involved", N_("Involved")), ("place", N_("Place")))
FACTS_PER_ROW = 3


class IssueSummary(QWidget):
    """Number and title, facts (trade, status, priority, assignee, due date, deadline), description, comments, history."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextSelectableByMouse)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.facts: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setContentsMargins(0, 2, 0, 4)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        for n, (key, label) in enumerate(FACTS):
            row, column = divmod(n, FACTS_PER_ROW)
            name = QLabel(_(label))
            name.setStyleSheet("color: #666")
            value = QLabel()
            value.setStyleSheet("font-weight: bold")
            value.setTextInteractionFlags(Qt.TextSelectableByMouse)
            grid.addWidget(name, row, 2 * column, Qt.AlignRight | Qt.AlignTop)
            grid.addWidget(value, row, 2 * column + 1, Qt.AlignLeft | Qt.AlignTop)
            grid.setColumnStretch(2 * column + 1, 1)
            self.facts[key] = value
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(True)
        self.text.setFocusPolicy(Qt.NoFocus)  # Tab stays in the recording form
        self.history = QTreeWidget()
        self.history.setHeaderLabels([_("When"), _("Who"), _("What"), _("Old → new")])
        self.history.setRootIsDecorated(False)
        self.history.setFocusPolicy(Qt.NoFocus)
        for column, width in enumerate((110, 120, 110)):
            self.history.setColumnWidth(column, width)
        self.tabs = QTabWidget()
        self.tabs.setFocusPolicy(Qt.NoFocus)
        self.tabs.addTab(self.text, _("Description and comments"))
        self.tabs.addTab(self.history, _("History"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(grid)
        layout.addWidget(self.tabs, 1)
        self.issue = None
        self.show_nothing(_("No issue on the agenda."))

    def show_nothing(self, text: str) -> None:
        """An empty summary with ``text`` in place of the title."""
        self.issue = None
        self.title.setText(text)
        for value in self.facts.values():
            value.clear()
        self.text.clear()
        self.history.clear()

    def show_detail(self, detail, vocabulary: Vocabulary) -> None:
        """Show an :class:`IssueDetail` (read-only)."""
        issue = detail.issue
        self.issue = issue
        self.title.setText(f"#{issue.number}  {issue.title}")
        trade = vocabulary.trade(issue.responsible_trade)
        state, colour = deadline_text(issue, vocabulary)
        place = " · ".join(p for p in (issue.location_storey, issue.location_space) if p)
        values = {
            "trade": f"{issue.responsible_trade} – {trade.name()}" if trade else (issue.responsible_trade or "—"),
            "status": vocabulary.name("status", issue.status),
            "priority": vocabulary.name("priority", issue.priority) or "—",
            "assignee": _user_name(issue.assigned_to, vocabulary) or "—",
            "due": format_day(issue.due_date) or "—",
            "deadline": state or "—",
            "involved": ", ".join(issue.involved_trades) or "—",
            "place": place or "—",
        }
        for key, value in values.items():
            self.facts[key].setText(value)
        self.facts["deadline"].setStyleSheet(f"font-weight: bold; color: {colour}" if colour else "font-weight: bold")
        self._show_text(issue, detail.comments)
        self._show_history(detail.history)
        self.tabs.setTabText(0, _("Description and comments ({n})").format(n=len(detail.comments)))
        self.tabs.setTabText(1, _("History ({n})").format(n=len(detail.history)))

    def _show_text(self, issue, comments) -> None:
        nothing = escape(_("No description."))
        description = escape(issue.description or "").replace("\n", "<br>") or (
            f"<span style='color:gray'>{nothing}</span>")
        parts = [f"<p>{description}</p>"]
        if comments:
            recent = list(reversed(comments))[:RECENT_COMMENTS]  # newest first
            heading = escape(_("Recent comments"))
            parts.append(f"<h4>{heading}</h4>")
            for comment in recent:
                text = escape(comment.text).replace("\n", "<br>")
                parts.append(f"<p><b>{escape(comment.author)}</b> <span style='color:gray'>"
                             f"{format_moment(comment.date)}</span><br>{text}</p>")
            earlier = len(comments) - len(recent)
            if earlier > 0:
                more = _("… and {n} earlier comments (Issue panel).").format(n=earlier)
                parts.append(f"<p style='color:gray'>{escape(more)}</p>")
        self.text.setHtml("".join(parts))

    def _show_history(self, history) -> None:
        self.history.clear()
        for entry in reversed(history):  # newest first
            what = field_label(entry.field)
            if entry.field == "meeting":
                what = _("Meeting")
                change = _meeting_change(entry.new)
            elif entry.field == "created" or entry.field.endswith("added"):
                change = "" if entry.entity == "viewpoint" else format_value(entry.new)
            else:
                change = f"{format_value(entry.old)} → {format_value(entry.new)}"
            if entry.entity not in ("issue", "meeting"):
                what = f"{field_label(entry.entity)}: {what}"
            item = QTreeWidgetItem([format_moment(entry.at), entry.author, what, change])
            item.setToolTip(3, change)
            self.history.addTopLevelItem(item)


def _meeting_change(value) -> str:
    if not isinstance(value, dict):
        return format_value(value)
    head = _("#{number} {title}").format(number=value.get("number", "?"), title=value.get("title", ""))
    decision = value.get("decision")
    return f"{head}: {decision}" if decision else head


def _user_name(bcf_id: str | None, vocabulary: Vocabulary) -> str:
    if not bcf_id:
        return ""
    user = next((u for u in vocabulary.users if u.bcf_id == bcf_id), None)
    return user.name if user else bcf_id
