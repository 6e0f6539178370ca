"""The file store: content-addressed files under the instance folder, kept or removed with the
transaction that stored them."""

import hashlib
import os
from pathlib import Path

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from .errors import DomainError


class FileCorrupted(DomainError):
    status, code = 500, "file_corrupted"


def file_store() -> "FileStore":
    """The current app's file store (`instance/files`)."""
    return FileStore(Path(current_app.instance_path) / "files")


class FileStore:
    """Content-addressed files under one folder."""

    def __init__(self, root: Path):
        self.root = root

    def path_of(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def put(self, session: Session, content: bytes) -> str:
        """Store bytes unless already there and return their sha256; undone if `session`
        rolls back."""
        sha256 = hashlib.sha256(content).hexdigest()
        path = self.path_of(sha256)
        if path.exists():
            return sha256
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(content)
        os.replace(temporary, path)
        session.info.setdefault("new_files", []).append(path)
        return sha256

    def get(self, sha256: str) -> bytes:
        """The bytes of a stored file, after checking they still hash to `sha256`."""
        content = self.path_of(sha256).read_bytes()
        if hashlib.sha256(content).hexdigest() != sha256:
            raise FileCorrupted(
                "Berkas tersimpan rusak (hash tidak cocok); pulihkan dari cadangan.",
                {"sha256": sha256},
            )
        return content


@event.listens_for(Session, "after_commit")
def _keep_new_files(session):
    session.info.pop("new_files", None)


@event.listens_for(Session, "after_soft_rollback")
def _remove_new_files(session, previous_transaction):
    if previous_transaction.nested:
        return  # a savepoint inside the work; the outer transaction decides
    for path in session.info.pop("new_files", []):
        path.unlink(missing_ok=True)
