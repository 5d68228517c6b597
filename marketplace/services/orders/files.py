"""Files attached to orders (deliveries, requirement answers): checked, stored under random names.

The type is decided from the bytes (the name and the browser's content type are ignored), the
size is capped by MAX_UPLOAD_MB, and the file is stored as `<32 hex>.<ext>` under the upload
folder's `orders/`, outside the served tree. Only `/files/orders/<code>/<key>` serves them, and
only to the order's buyer, seller and admins (marketplace/api.py), as an attachment.
"""

import re
import secrets
import unicodedata
from pathlib import Path
from typing import Any

from marketplace.services.common.errors import DomainError
from marketplace.settings import get_settings

MAX_FILES_PER_DELIVERY = 5
KEY_PATTERN = re.compile(r"^[0-9a-f]{32}\.(png|jpg|gif|webp|pdf|zip|txt)$")
CONTENT_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "pdf": "application/pdf",
    "zip": "application/zip",
    "txt": "text/plain; charset=utf-8",
}
ALLOWED_TEXT = "PNG, JPEG, GIF, WebP, PDF, ZIP or plain text"


def sniff(data: bytes) -> str | None:
    """The file's extension judged from its first bytes, or None when it is not one we take."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if b"\x00" not in data:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return "txt"
    return None


def safe_name(filename: str) -> str:
    """The original name reduced to a harmless display name (no folders, no control chars)."""
    name = unicodedata.normalize("NFC", str(filename or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*').strip(" .")
    return name[:120] or "file"


def folder(upload_dir: Path | None = None) -> Path:
    return (upload_dir or get_settings().upload_dir) / "orders"


def store_order_file(*, data: bytes, filename: str, upload_dir: Path | None = None) -> dict:
    """Check and store one file; returns the dict deliveries and answers keep."""
    settings = get_settings()
    max_bytes = settings.max_upload_bytes
    if not data:
        raise DomainError(f"“{safe_name(filename)}” is empty.")
    if len(data) > max_bytes:
        raise DomainError(
            f"“{safe_name(filename)}” is larger than {max_bytes // (1024 * 1024)} MB."
        )
    ext = sniff(data)
    if ext is None:
        raise DomainError(f"“{safe_name(filename)}” is not a {ALLOWED_TEXT} file.")
    key = f"{secrets.token_hex(16)}.{ext}"
    target = folder(upload_dir)
    target.mkdir(parents=True, exist_ok=True)
    tmp = target / f".{key}.tmp"
    tmp.write_bytes(data)
    tmp.replace(target / key)
    return {
        "name": safe_name(filename),
        "key": key,
        "size": len(data),
        "content_type": CONTENT_TYPES[ext],
    }


def valid_file(value: Any) -> dict:
    """A stored-file dict from a client (re-checked: only keys this module makes, and the file
    must exist); raises DomainError otherwise."""
    if not isinstance(value, dict) or not KEY_PATTERN.match(str(value.get("key", ""))):
        raise DomainError("That file could not be attached. Upload it again.")
    key = value["key"]
    path = folder() / key
    if not path.is_file():
        raise DomainError("That file could not be attached. Upload it again.")
    return {
        "name": safe_name(str(value.get("name", ""))),
        "key": key,
        "size": path.stat().st_size,
        "content_type": CONTENT_TYPES[key.rsplit(".", 1)[1]],
    }


def order_file_url(*, order_code: str, key: str) -> str:
    return f"/files/orders/{order_code}/{key}"


def file_path(key: str) -> Path | None:
    """The stored file for a key of the right form, or None."""
    if not KEY_PATTERN.match(key or ""):
        return None
    path = folder() / key
    return path if path.is_file() else None
