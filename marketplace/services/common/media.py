"""Uploaded images (avatars, gig galleries): checked, re-encoded, stored under random names.

An upload is trusted for nothing: its size is capped before decoding, Pillow must recognise it
as PNG, JPEG or WebP from its bytes (the file name and the browser's content type are ignored),
its pixel count is bounded, and it is re-encoded, which drops EXIF data such as GPS positions and
anything smuggled after the image. Files live under the upload folder, outside the served tree;
`/media/<name>` serves only names of the form this module generates.
"""

import io
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from marketplace.services.common.errors import DomainError

MAX_PIXELS = 40_000_000
NAME_PATTERN = re.compile(r"^[0-9a-f]{32}\.(png|jpg|webp)$")
_FORMATS = {
    "PNG": ("png", "image/png"),
    "JPEG": ("jpg", "image/jpeg"),
    "WEBP": ("webp", "image/webp"),
}
CONTENT_TYPES = {ext: content_type for ext, content_type in _FORMATS.values()}


class ImageRejected(DomainError):
    """The upload is not an image we accept; the message says why."""


@dataclass(frozen=True)
class StoredImage:
    name: str
    content_type: str
    size_bytes: int
    width: int
    height: int


def image_folder(upload_dir: Path) -> Path:
    return upload_dir / "images"


def oversized_message(size: int | None, max_bytes: int) -> str:
    """Why a file of `size` bytes is refused, or "" (also when the size is not known yet)."""
    if size is not None and size > max_bytes:
        return f"Images can be at most {max_bytes // (1024 * 1024)} MB."
    return ""


def store_image(
    data: bytes, *, upload_dir: Path, max_bytes: int, max_side: int = 1600
) -> StoredImage:
    """Check and re-encode an uploaded image; returns the stored copy's random name."""
    if not data:
        raise ImageRejected("The file is empty.")
    if refused := oversized_message(len(data), max_bytes):
        raise ImageRejected(refused)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            if kind not in _FORMATS:
                raise ImageRejected("Upload a PNG, JPEG or WebP image.")
            if probe.width * probe.height > MAX_PIXELS:
                raise ImageRejected("That image has too many pixels.")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail((max_side, max_side))
            ext, content_type = _FORMATS[kind]
            if kind == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, format=kind, **({"quality": 88} if kind != "PNG" else {}))
            width, height = image.size
    except ImageRejected:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ImageRejected("That file is not an image we can read (PNG, JPEG or WebP).") from exc
    folder = image_folder(upload_dir)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{ext}"
    encoded = out.getvalue()
    (folder / name).write_bytes(encoded)
    return StoredImage(
        name=name, content_type=content_type, size_bytes=len(encoded), width=width, height=height
    )


def image_path(upload_dir: Path, name: str) -> Path | None:
    """The file behind a stored name, or None for any name this module could not have made."""
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        return None
    path = image_folder(upload_dir) / name
    return path if path.is_file() else None


def delete_image(upload_dir: Path, name: str | None) -> None:
    if name and (path := image_path(upload_dir, name)) is not None:
        path.unlink(missing_ok=True)
