"""Uploaded images are checked by their bytes, re-encoded, and stored under random names."""

import io

import pytest
from PIL import Image

from marketplace.services.common import media


def image_bytes(fmt: str, size=(64, 48), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt, **save)
    return out.getvalue()


@pytest.mark.parametrize(("fmt", "ext"), [("PNG", "png"), ("JPEG", "jpg"), ("WEBP", "webp")])
def test_accepted_images_are_stored_under_a_random_name(tmp_path, fmt, ext):
    stored = media.store_image(image_bytes(fmt), upload_dir=tmp_path, max_bytes=10**6)
    assert media.NAME_PATTERN.match(stored.name) and stored.name.endswith(f".{ext}")
    path = media.image_path(tmp_path, stored.name)
    assert path is not None and path.parent == tmp_path / "images"
    with Image.open(path) as reopened:
        assert reopened.size == (64, 48)


def test_large_images_are_scaled_down_and_exif_is_dropped(tmp_path):
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # any tag: the re-encoded copy must not carry it
    data = image_bytes("JPEG", size=(3000, 1000), exif=exif.tobytes())
    stored = media.store_image(data, upload_dir=tmp_path, max_bytes=10**7, max_side=512)
    assert (stored.width, stored.height) == (512, 171)
    with Image.open(media.image_path(tmp_path, stored.name)) as reopened:
        assert dict(reopened.getexif()) == {}


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "empty"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "not an image"),
        (b"GIF89a" + b"\x00" * 100, "not an image"),
        (image_bytes("PNG")[:40], "not an image"),
        (image_bytes("GIF"), "PNG, JPEG or WebP"),
        (b"%PDF-1.4 fake", "not an image"),
    ],
)
def test_anything_else_is_refused_and_nothing_is_written(tmp_path, data, fragment):
    with pytest.raises(media.ImageRejected) as refused:
        media.store_image(data, upload_dir=tmp_path, max_bytes=10**6)
    assert fragment in str(refused.value)
    assert not (tmp_path / "images").exists() or not any((tmp_path / "images").iterdir())


def test_size_is_checked_before_decoding(tmp_path):
    with pytest.raises(media.ImageRejected, match="at most 1 MB"):
        media.store_image(b"\x89PNG" + b"\x00" * (2**20), upload_dir=tmp_path, max_bytes=2**20)


@pytest.mark.parametrize(
    "name", ["../secret_key", "a.png", "0" * 32 + ".svg", "0" * 32 + ".png/../../x", None, 5]
)
def test_only_generated_names_resolve_to_files(tmp_path, name):
    assert media.image_path(tmp_path, name) is None
