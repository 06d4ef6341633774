"""Writing issues from the window: save (with conflict and outage handling), comment, create, add viewpoint.

Every write runs in the thread pool. What the user typed stays on screen until the
write succeeded:

- someone saved the issue first (:class:`ConflictError`): the user chooses Reload
  (take their version, drop mine) or Merge (my edits on their version, shown as
  unsaved edits to check and save again);
- the database is unreachable (:class:`DatabaseUnavailable`): nothing was written,
  the user may Retry; creating and commenting use guids chosen beforehand, so a
  retry after a write that did go through does not duplicate it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from bim.i18n import _
from project_db.errors import ConflictError, DatabaseUnavailable
from project_db.records import new_guid
from ui.issue_text import field_label
from ui.prompts import ask


class IssueWriter:
    """The write paths of the issue features (``features``: the window's :class:`IssueFeatures`)."""

    def __init__(self, features):
        self.features = features
        self.prompt = None  # the last question shown (tests press its buttons)

    @property
    def session(self):
        return self.features.session

    @property
    def detail(self):
        return self.features.detail

    # ------------------------------------------------------------------ save

    def save(self, edited) -> None:
        """Save the detail's edited issue."""
        base = self.detail.form.issue
        author = self.session.author
        self.detail.set_busy(True, _("Saving…"))
        self.session.run(lambda project: project.issues.save(edited, author),
                         lambda saved: self._saved(saved),
                         lambda exc: self._save_failed(exc, base, edited))

    def _saved(self, saved) -> None:
        self.detail.set_busy(False)
        self.features.window.statusBar().showMessage(
            _("Issue #{number} saved").format(number=saved.number), 5000)
        self.features.load_detail(saved.id)
        self.features.refresh_rows()

    def _save_failed(self, exc, base, edited) -> None:
        self.detail.set_busy(False)
        window = self.features.window
        if isinstance(exc, ConflictError):
            self.prompt = ask(
                window, QMessageBox.Warning, _("Issue changed by someone else"),
                str(exc) + "\n\n" + _("Reload: take their version and drop your changes.\n"
                                      "Merge: apply your changes to their version, then check and save."),
                [("merge", _("Merge"), QMessageBox.AcceptRole), ("reload", _("Reload"), QMessageBox.DestructiveRole),
                 ("cancel", _("Keep editing"), QMessageBox.RejectRole)],
                lambda choice: self._resolve_conflict(choice, base, edited, exc.theirs))
        elif isinstance(exc, DatabaseUnavailable):
            self.prompt = ask(
                window, QMessageBox.Warning, _("Not saved"),
                str(exc) + "\n\n" + _("Your changes are kept on screen."),
                [("retry", _("Retry"), QMessageBox.AcceptRole), ("cancel", _("Keep editing"), QMessageBox.RejectRole)],
                lambda choice: choice == "retry" and self.detail.request_save())
        else:
            self.prompt = ask(window, QMessageBox.Warning, _("Not saved"), str(exc),
                              [("ok", _("OK"), QMessageBox.AcceptRole)], lambda _c: None,
                              getattr(exc, "traceback_text", ""))

    def _resolve_conflict(self, choice: str, base, mine, theirs) -> None:
        from project_db.issues import merge

        if choice == "reload":
            self.features.load_detail(theirs.id)
        elif choice == "merge":
            merged, conflicts = merge(base, mine, theirs)
            self.detail.form.show_merged(theirs, merged, self.session.vocabulary)
            note = _("Merged with the changes of {who}. Check and save.").format(
                who=theirs.modified_author or _("another user"))
            if conflicts:
                note += " " + _("Both changed {fields}: your values were kept.").format(
                    fields=", ".join(field_label(f) for f in conflicts))
            self.detail.set_note(note)
            self.features.load_detail(theirs.id, extras_only=True)

    # ------------------------------------------------------------------ comments

    def add_comment(self, text: str, guid: str | None = None) -> None:
        """Add a comment to the shown issue (retry-safe: the guid is chosen once)."""
        issue_id = self.detail.issue_id
        if issue_id is None:
            return
        guid = guid or new_guid()
        author = self.session.author
        self.detail.comment_button.setEnabled(False)

        def done(_comment):
            self.detail.comment_button.setEnabled(True)
            self.detail.comment_text.clear()
            self.features.load_detail(issue_id, extras_only=True)
            self.features.refresh_rows()

        def failed(exc):
            self.detail.comment_button.setEnabled(True)
            self._offer_retry(exc, _("Comment not added"), lambda: self.add_comment(text, guid))

        self.session.run(lambda project: project.issues.add_comment(issue_id, text, author, guid=guid), done, failed)

    # ------------------------------------------------------------------ create and viewpoints

    def create(self, draft, viewpoint) -> None:
        """Store a new issue and its viewpoint, then show it (retry-safe: same guids)."""
        author = self.session.author
        viewpoint_guid = new_guid()

        def write(project):
            issue = project.issues.create(draft, author)
            if viewpoint is not None:
                project.issues.add_viewpoint(issue.id, viewpoint, author, guid=viewpoint_guid)
            return issue

        def done(issue):
            self.features.window.statusBar().showMessage(
                _("Issue #{number} created").format(number=issue.number), 5000)
            self.features.created.emit(issue)
            self.features.refresh_rows(select=issue.id)
            self.features.load_detail(issue.id)

        self.session.run(write, done,
                         lambda exc: self._offer_retry(exc, _("Issue not created"),
                                                       lambda: self._create_again(write, done)))

    def _create_again(self, write, done) -> None:
        self.session.run(write, done, lambda exc: self._offer_retry(exc, _("Issue not created"),
                                                                     lambda: self._create_again(write, done)))

    def add_viewpoint(self, viewpoint, guid: str | None = None) -> None:
        """Attach ``viewpoint`` to the shown issue."""
        issue_id = self.detail.issue_id
        if issue_id is None:
            return
        guid = guid or new_guid()
        author = self.session.author
        self.session.run(lambda project: project.issues.add_viewpoint(issue_id, viewpoint, author, guid=guid),
                         lambda _record: (self.features.load_detail(issue_id, extras_only=True),
                                          self.features.refresh_rows()),
                         lambda exc: self._offer_retry(exc, _("Viewpoint not added"),
                                                       lambda: self.add_viewpoint(viewpoint, guid)))

    def _offer_retry(self, exc, title: str, retry) -> None:
        choices = [("cancel", _("Cancel"), QMessageBox.RejectRole)]
        if isinstance(exc, DatabaseUnavailable):
            choices.insert(0, ("retry", _("Retry"), QMessageBox.AcceptRole))
        self.prompt = ask(self.features.window, QMessageBox.Warning, title, str(exc), choices,
                          lambda choice: choice == "retry" and retry(), getattr(exc, "traceback_text", ""))
