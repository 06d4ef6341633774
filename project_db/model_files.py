"""Trades' IFC model versions stored in the project database, chunked, with a local cache.

A teammate connected to the shared database opens exactly the versions others
registered, without a file share. Content is split into chunks (4 MiB by default)
so no row, transfer or buffer holds a whole model; it is hashed (SHA-256) on the way
in and checked on the way out, then cached on disk by hash.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from bim.progress import CancelFn, ProgressFn, check_cancelled, report
from project_db import history
from project_db.changes import next_seq
from project_db.errors import InvalidValue, ModelFileCorrupt, NotFound
from project_db.records import ModelInfo, ModelVersion
from project_db.schema import DbModel, DbModelChunk, DbModelVersion, DbTrade, utcnow

if TYPE_CHECKING:
    from project_db.connection import Project

CHUNK_SIZE = 4 * 1024 * 1024


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK_SIZE), b""):
            digest.update(block)
    return digest.hexdigest()


class ModelStore:
    """Model versions of one project; each call is its own transaction."""

    def __init__(self, project: "Project"):
        self.project = project

    def store_model_file(self, path: str | Path, trade: str | None, author: str, name: str | None = None,
                         chunk_size: int = CHUNK_SIZE, progress: ProgressFn | None = None,
                         cancel: CancelFn | None = None) -> ModelVersion:
        """Register ``path`` as the next version of model ``name`` (default: the file name) for ``trade``.

        Storing the same content as the model's newest version returns that version.
        All chunks are written in one transaction: an interrupted upload leaves nothing.
        """
        path = Path(path)
        name = name or path.name
        size = path.stat().st_size
        sha = file_sha256(path)
        with self.project.transaction() as session:
            next_seq(session, "models")
            trade_id = None
            if trade:
                trade_id = session.execute(select(DbTrade.id).where(DbTrade.code == trade)).scalar_one_or_none()
                if trade_id is None:
                    raise InvalidValue("trade", trade)
            model = session.execute(select(DbModel).where(DbModel.name == name)).scalar_one_or_none()
            if model is None:
                model = DbModel(name=name, trade_id=trade_id, created_at=utcnow(), deleted=False)
                session.add(model)
                session.flush()
                history.record(session, author=author, entity="model", entity_id=model.id, issue_id=None,
                               field="created", new={"name": name, "trade": trade})
            elif model.trade_id != trade_id:
                history.record(session, author=author, entity="model", entity_id=model.id, issue_id=None,
                               field="trade", old=model.trade_id, new=trade_id)
                model.trade_id = trade_id
            latest = _latest(session, model.id)
            if latest is not None and latest.sha256 == sha:
                return _version(latest, model, trade)
            number = (latest.number + 1) if latest else 1
            version = DbModelVersion(model_id=model.id, number=number, filename=path.name, sha256=sha, size=size,
                                     chunk_size=chunk_size, author=author, created_at=utcnow())
            session.add(version)
            session.flush()
            done = 0
            with open(path, "rb") as handle:
                for ordinal, block in enumerate(iter(lambda: handle.read(chunk_size), b"")):
                    check_cancelled(cancel)
                    chunk = DbModelChunk(version_id=version.id, ordinal=ordinal, data=block)
                    session.add(chunk)
                    session.flush()
                    session.expunge(chunk)  # keep memory at one chunk, not the whole model
                    done += len(block)
                    report(progress, done, size, name)
            history.record(session, author=author, entity="model", entity_id=model.id, issue_id=None,
                           field="version added", new={"number": number, "sha256": sha, "size": size})
            return _version(version, model, trade)

    def models(self) -> tuple[ModelInfo, ...]:
        """Registered models with their newest versions, by name."""
        with self.project.transaction() as session:
            codes = dict(session.execute(select(DbTrade.id, DbTrade.code)).all())
            result = []
            for model in session.execute(
                select(DbModel).where(DbModel.deleted.is_(False)).order_by(DbModel.name)
            ).scalars():
                trade = codes.get(model.trade_id)
                latest = _latest(session, model.id)
                result.append(ModelInfo(model.id, model.name, trade, _version(latest, model, trade) if latest else None))
            return tuple(result)

    def versions(self, model_name: str) -> tuple[ModelVersion, ...]:
        """Every version of one model, oldest first."""
        with self.project.transaction() as session:
            model = session.execute(select(DbModel).where(DbModel.name == model_name)).scalar_one_or_none()
            if model is None:
                raise NotFound("model", model_name)
            trade = session.get(DbTrade, model.trade_id).code if model.trade_id else None
            rows = session.execute(
                select(DbModelVersion).where(DbModelVersion.model_id == model.id).order_by(DbModelVersion.number)
            ).scalars()
            return tuple(_version(r, model, trade) for r in rows)

    def fetch_model_file(self, version_id: int, cache_dir: str | Path, progress: ProgressFn | None = None,
                         cancel: CancelFn | None = None) -> Path:
        """The local path of a stored version, downloading it into ``cache_dir`` if not cached yet.

        The download is checked against the recorded hash before it appears in the cache
        (written to a temporary file, renamed at the end), so a cached file is always whole.
        """
        with self.project.transaction() as session:
            version = session.get(DbModelVersion, version_id)
            if version is None:
                raise NotFound("model version", version_id)
            # the stored name may come from another workstation: never let it leave the cache folder
            safe_name = Path(version.filename.replace("\\", "/")).name or "model.ifc"
            target = Path(cache_dir) / version.sha256 / safe_name
            if target.is_file() and target.stat().st_size == version.size:
                return target
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            done = 0
            fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".download-")
            try:
                with os.fdopen(fd, "wb") as out:
                    count = session.execute(
                        select(func.count()).where(DbModelChunk.version_id == version_id)
                    ).scalar_one()
                    # one chunk at a time: memory stays at one chunk whatever the model size
                    for ordinal in range(count):
                        check_cancelled(cancel)
                        block = session.execute(
                            select(DbModelChunk.data).where(DbModelChunk.version_id == version_id,
                                                            DbModelChunk.ordinal == ordinal)
                        ).scalar_one()
                        digest.update(block)
                        out.write(block)
                        done += len(block)
                        report(progress, done, version.size, version.filename)
                if digest.hexdigest() != version.sha256 or done != version.size:
                    raise ModelFileCorrupt(self.project.database, version.filename, version.sha256,
                                           digest.hexdigest())
                os.replace(tmp_name, target)
            except BaseException:
                Path(tmp_name).unlink(missing_ok=True)
                raise
            return target


def _latest(session, model_id: int) -> DbModelVersion | None:
    return session.execute(
        select(DbModelVersion).where(DbModelVersion.model_id == model_id).order_by(DbModelVersion.number.desc())
    ).scalars().first()


def _version(row: DbModelVersion, model: DbModel, trade: str | None) -> ModelVersion:
    return ModelVersion(id=row.id, model_id=model.id, model_name=model.name, trade=trade, number=row.number,
                        filename=row.filename, sha256=row.sha256, size=row.size, author=row.author,
                        created_at=row.created_at)
