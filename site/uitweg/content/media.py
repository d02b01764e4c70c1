"""Images editors upload: decoded, checked and encoded again, so nothing but pixels reaches the
site. A phone photo carries the place it was taken (GPS in its EXIF data), the phone's make and
the time; none of that may be published about the people in recovery stories.

Each upload becomes JPEG files at the widths the pages use, named after the editor's file
plus a hash of the pixels: `sanne-fiets-3f2a9c1e.jpg` (the widest) and `...-480.jpg`. They are
kept in the database, so every host serves them, and they never change (cached for a year).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import MediaFile

ACCEPTED = {"JPEG", "PNG", "WEBP"}
# Wider than the reading column at twice the pixel density; the small one for phones.
WIDTHS = (960, 480)
MAX_BYTES = 12 * 1024 * 1024
# A photo from a phone is 12 to 50 million pixels; more is a mistake or a decompression bomb.
MAX_PIXELS = 60_000_000
JPEG_QUALITY = 82


class ImageRefused(Exception):
    """An upload that is not used; `code` names why, for a translated message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Rendition:
    name: str
    width: int
    height: int
    data: bytes


def _stem(filename: str) -> str:
    stem = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0].lower()
    stem = re.sub(r"[^a-z0-9]+", "-", stem).strip("-")[:40].strip("-")
    return stem or "afbeelding"


def _decode(data: bytes) -> Image.Image:
    if len(data) > MAX_BYTES:
        raise ImageRefused("too-large")
    with warnings.catch_warnings():
        # Pillow warns above MAX_IMAGE_PIXELS and refuses above twice that: both are refusals.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            Image.MAX_IMAGE_PIXELS = MAX_PIXELS
            image = Image.open(io.BytesIO(data))
            if image.format not in ACCEPTED:
                raise ImageRefused("not-an-image")
            image.load()
        except ImageRefused:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageRefused("too-many-pixels") from None
        except (OSError, ValueError, SyntaxError, EOFError):
            raise ImageRefused("not-an-image") from None
    return image


def _pixels_only(image: Image.Image) -> Image.Image:
    """The picture upright (as the phone showed it), flattened onto white, as a new image that
    holds pixels and nothing else."""
    upright = ImageOps.exif_transpose(image) or image
    if upright.mode in ("RGBA", "LA", "P"):
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        upright = flat
    rgb = upright.convert("RGB")
    return Image.frombytes("RGB", rgb.size, rgb.tobytes())


def renditions(filename: str, data: bytes) -> list[Rendition]:
    """The files an upload becomes, widest first; ImageRefused when it is not a usable image."""
    clean = _pixels_only(_decode(data))
    digest = hashlib.sha256(clean.tobytes()).hexdigest()[:8]
    base = f"{_stem(filename)}-{digest}"
    made = []
    for index, width in enumerate(WIDTHS):
        if index and width >= clean.width:
            continue  # no smaller copy of an image that is small already
        copy = clean.copy()
        copy.thumbnail((width, width * 4), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        copy.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        name = f"{base}.jpg" if index == 0 else f"{base}-{width}.jpg"
        made.append(Rendition(name, copy.width, copy.height, out.getvalue()))
    return made


def store(session: Session, filename: str, data: bytes, author: str, at: dt.datetime) -> Rendition:
    """Keep an upload's renditions; returns the widest (its name goes in the story)."""
    made = renditions(filename, data)
    for rendition in made:
        if session.get(MediaFile, rendition.name) is None:
            session.add(
                MediaFile(
                    name=rendition.name,
                    width=rendition.width,
                    height=rendition.height,
                    data=rendition.data,
                    author=author,
                    created_at=at,
                )
            )
    session.flush()
    return made[0]


def find(session: Session, name: str) -> MediaFile | None:
    if len(name) > 120:
        return None  # longer than any name we make (and cut short, it could name another)
    return session.get(MediaFile, name)


# Per uploaded image (by the name a story uses): its files as (name, width, height), narrowest
# first.
MediaIndex = dict[str, tuple[tuple[str, int, int], ...]]


def index(session: Session) -> MediaIndex:
    rows = session.execute(select(MediaFile.name, MediaFile.width, MediaFile.height)).all()
    names = {name for name, _, _ in rows}
    found: dict[str, list[tuple[str, int, int]]] = {}
    for name, width, height in rows:
        small = re.fullmatch(r"(.+)-\d+\.jpg", name)
        main = f"{small[1]}.jpg" if small and f"{small[1]}.jpg" in names else name
        found.setdefault(main, []).append((name, width, height))
    return {main: tuple(sorted(files, key=lambda f: f[1])) for main, files in found.items()}
