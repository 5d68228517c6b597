"""Files attached to messages: checked like order files (type from the bytes, size capped by
MAX_UPLOAD_MB), stored as `<32 hex>.<ext>` under the upload folder's `messages/`, outside the
served tree. Only `/files/messages/<message id>/<key>` serves them, and only to someone who may
read that conversation (its two parties; an admin handling a report about it).

Each stored file has a `MessageUpload` row naming its uploader; a message may only carry files
its sender uploaded and that no message carries yet. Files removed from the composer or never
sent are deleted by the worker after UNSENT_GRACE (`sweep_unsent`)."""

import secrets
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from marketplace.db import utcnow
from marketplace.models import Message, MessageUpload, User
from marketplace.services.common.errors import DomainError, NotFound
from marketplace.services.messaging import conversations
from marketplace.services.orders.files import ALLOWED_TEXT, CONTENT_TYPES, KEY_PATTERN, safe_name
from marketplace.services.orders.files import sniff as sniff_type
from marketplace.settings import get_settings

MAX_FILES_PER_MESSAGE = 5
UNSENT_GRACE = timedelta(hours=24)  # a composer left open overnight still sends its files
SWEEP_BATCH = 200


def folder(upload_dir: Path | None = None) -> Path:
    return (upload_dir or get_settings().upload_dir) / "messages"


def store(
    session: Session,
    *,
    uploader_id: int,
    data: bytes,
    filename: str,
    upload_dir: Path | None = None,
) -> dict:
    """Check and store one file for `uploader_id`'s next message; returns the dict a message
    keeps in `attachments`. Flushes its row; the caller's session commits."""
    max_bytes = get_settings().max_upload_bytes
    if not data:
        raise DomainError(f"“{safe_name(filename)}” is empty.")
    if len(data) > max_bytes:
        raise DomainError(f"“{safe_name(filename)}” is larger than {max_bytes // 2**20} MB.")
    ext = sniff_type(data)
    if ext is None:
        raise DomainError(f"“{safe_name(filename)}” is not a {ALLOWED_TEXT} file.")
    key = f"{secrets.token_hex(16)}.{ext}"
    target = folder(upload_dir)
    target.mkdir(parents=True, exist_ok=True)
    tmp = target / f".{key}.tmp"
    tmp.write_bytes(data)
    tmp.replace(target / key)
    session.add(MessageUpload(key=key, uploader_id=uploader_id, size=len(data)))
    session.flush()
    return {"name": safe_name(filename), "key": key, "size": len(data)}


def valid_attachments(
    session: Session, values: Any, *, uploader_id: int, upload_dir: Path | None = None
) -> list[dict]:
    """Stored-file dicts for a message, re-checked: keys this module made for this uploader,
    not sent yet, whose files exist."""
    if values is None:
        return []
    if not isinstance(values, list) or len(values) > MAX_FILES_PER_MESSAGE:
        raise DomainError(f"A message has at most {MAX_FILES_PER_MESSAGE} files.")
    checked = []
    for value in values:
        key = str(value.get("key", "")) if isinstance(value, dict) else ""
        path = folder(upload_dir) / key
        upload = session.get(MessageUpload, key) if KEY_PATTERN.match(key) else None
        if (
            upload is None
            or upload.uploader_id != uploader_id
            or upload.message_id is not None
            or not path.is_file()
        ):
            raise DomainError("That file could not be attached. Upload it again.")
        checked.append(
            {"name": safe_name(str(value.get("name", ""))), "key": key, "size": path.stat().st_size}
        )
    return checked


def mark_sent(session: Session, *, files: list[dict], message_id: int) -> None:
    """The files went out with this message: they are kept from now on."""
    for file in files:
        upload = session.get(MessageUpload, file["key"])
        if upload is not None:
            upload.message_id = message_id
            session.add(upload)
    session.flush()


def sweep_unsent(
    session: Session, *, now: datetime | None = None, upload_dir: Path | None = None
) -> int:
    """Delete files uploaded more than UNSENT_GRACE ago that no message carries (removed from
    the composer, or the page closed), with their rows; returns how many. A file is unlinked
    before its row goes, so a crash in between leaves a row the next sweep finishes."""
    cutoff = (now or utcnow()) - UNSENT_GRACE
    stale = session.exec(
        select(MessageUpload)
        .where(col(MessageUpload.message_id).is_(None), MessageUpload.created_at < cutoff)
        .order_by(MessageUpload.created_at)
        .limit(SWEEP_BATCH)
    ).all()
    for upload in stale:
        if KEY_PATTERN.match(upload.key):
            (folder(upload_dir) / upload.key).unlink(missing_ok=True)
        session.delete(upload)
    session.flush()
    return len(stale)


def attachment(
    session: Session,
    *,
    actor: User | None,
    message_id: object,
    key: str,
    upload_dir: Path | None = None,
) -> tuple[Path, str, str]:
    """(path, download name, content type) of a file of a message the actor may read."""
    if isinstance(message_id, bool) or not isinstance(message_id, int):
        raise NotFound("No such file.")
    message = session.get(Message, message_id)
    if message is None or message.hidden:
        raise NotFound("No such file.")
    conversations.readable(session, conversation_id=message.conversation_id, actor=actor)
    found = next((a for a in message.attachments if a.get("key") == key), None)
    path = folder(upload_dir) / key
    if found is None or not KEY_PATTERN.match(key) or not path.is_file():
        raise NotFound("No such file.")
    return path, found.get("name") or "file", CONTENT_TYPES[key.rsplit(".", 1)[1]]


def url(*, message_id: int, key: str) -> str:
    return f"/files/messages/{message_id}/{key}"
