"""Two workstations on one PostgreSQL project: the window sees the other's issue and never overwrites its save.

Uses the server at ``SYNTHESE_TEST_PG_URL`` (as tests/project_db does); skipped without
one, except under CI=true.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from project_db import open_project
from project_db.records import Issue

PG_URL = os.environ.get("SYNTHESE_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _admin(statement: str) -> None:
    import psycopg2
    from sqlalchemy.engine import make_url

    url = make_url(PG_URL)
    conn = psycopg2.connect(host=url.host, port=url.port or 5432, user=url.username, password=url.password,
                            dbname=url.database or "postgres", connect_timeout=3)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(statement)
    finally:
        conn.close()


@pytest.fixture
def pg_project_url():
    """A fresh project database on the test server, dropped afterwards."""
    from sqlalchemy.engine import make_url

    try:
        _admin("SELECT 1")
    except Exception as error:  # noqa: BLE001 - any failure to connect means no server here
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"PostgreSQL unavailable at {PG_URL}: {error}")
        pytest.skip(f"PostgreSQL unavailable at {PG_URL}: {error}")
    name = f"synthese_gui_{uuid.uuid4().hex[:10]}"
    yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
def test_two_workstations_on_postgresql_see_each_other_and_never_overwrite(qtbot, window, pg_project_url):
    features = window.issue_features
    features.session.set_poll_interval(150)
    features.open_project(pg_project_url, create=True)
    qtbot.waitUntil(lambda: features.session.is_open, timeout=20_000)
    with open_project(pg_project_url) as other:
        issue = other.issues.create(Issue(title="Fire damper missing", responsible_trade="CVC"), "bob")
        qtbot.waitUntil(lambda: [r.id for r in features.panel.model.rows] == [issue.id], timeout=10_000)

        with qtbot.waitSignal(features.detail_shown, timeout=10_000):
            features.open_issue(issue.id)
        detail = features.detail
        qtbot.keyClicks(detail.form.title, " at level 1")
        other.issues.save(replace(other.issues.get(issue.id), priority="High"), "bob")
        qtbot.mouseClick(detail.save_button, Qt.LeftButton)
        qtbot.waitUntil(lambda: features.writer.prompt is not None and features.writer.prompt.isVisible(),
                        timeout=10_000)
        features.writer.prompt.choose("merge")
        qtbot.mouseClick(detail.save_button, Qt.LeftButton)
        qtbot.waitUntil(lambda: not detail.is_dirty and detail.detail.issue.title.endswith("at level 1"),
                        timeout=10_000)
        stored = other.issues.get(issue.id)
        assert (stored.title, stored.priority) == ("Fire damper missing at level 1", "High")
    features.close_project()
