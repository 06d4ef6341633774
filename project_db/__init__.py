"""The project database: issues per trade with their history, settings, models, BCF in and out.

Qt-free. A project is a SQLite file or a PostgreSQL database; open it with
:func:`open_project` and use its repositories (``project.issues``,
``project.settings``, ``project.models``, ``project.check_runs``, ``project.rule_sets``,
``project.clash_tests``, ``project.takeoff_templates``), which return frozen records
(:mod:`project_db.records`) and run one transaction per call. BCF import and
export live in :mod:`project_db.bcf`, the CLI in :mod:`project_db.commands`.

Names are imported on first use, so ``import project_db.commands`` (done by every
``synthese`` start) does not load SQLAlchemy and Alembic.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "open_project": "project_db.connection",
    "Project": "project_db.connection",
    "ConflictError": "project_db.errors",
    "DatabaseBusy": "project_db.errors",
    "DatabaseUnavailable": "project_db.errors",
    "InvalidValue": "project_db.errors",
    "NotAProject": "project_db.errors",
    "NotFound": "project_db.errors",
    "ProjectDbError": "project_db.errors",
    "ProjectNotFound": "project_db.errors",
    "SchemaTooNew": "project_db.errors",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    """Import an exported name on first use."""
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'project_db' has no attribute {name!r}")
