"""Images the documents embed (a municipality's logo): checked when validating, not when Word opens the file.

Why: a logo that only WeasyPrint can read (SVG) or a damaged PNG used to make every DOCX of a municipality
fail with an empty message. Validation now decodes the whole image with Pillow (WeasyPrint's own image
library, so no new dependency) and names the ``logo`` field with file:line when it is unusable.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import RenderError

if TYPE_CHECKING:
    from generator.document.nodes import Document
    from generator.writers.templatefiles import Templates

#: Formats both writers embed: python-docx reads PNG and JPEG headers, WeasyPrint decodes them with Pillow.
FORMATS = {"PNG": "png", "JPEG": "jpg"}
#: A logo is a few hundred pixels wide; far larger images only cost memory (Pillow's bomb check is at ~89 Mpx).
MAX_PIXELS = 25_000_000


def image_problem(path: Path) -> str | None:
    """Why ``path`` cannot serve as a logo in DOCX and PDF, in Dutch; None when it can."""
    from PIL import ImageFile

    # WeasyPrint switches Pillow to accept truncated images for the whole process; a check must not.
    lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        return _decode(path)
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient


def _decode(path: Path) -> str | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            kind = image.format or ""
            if kind not in FORMATS:
                return f"{path.name} is geen png of jpg (maar {kind or 'een onbekend formaat'})"
            width, height = image.size
            if width * height > MAX_PIXELS:
                return f"{path.name} is {width}×{height} pixels; een logo van zo'n omvang past niet, maak het kleiner"
            image.load()  # decode every pixel: a truncated or damaged file fails here
    except UnidentifiedImageError:
        return f"{path.name} is geen afbeelding die te lezen is (png of jpg verwacht)"
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        return f"{path.name} is beschadigd of onvolledig ({exc})"
    if path.suffix.lower() not in ((".png",) if kind == "PNG" else (".jpg", ".jpeg")):
        return f"{path.name} is een {FORMATS[kind]}-bestand met de verkeerde extensie; hernoem het"
    return None


def check_logo(document: Document, templates: Templates) -> None:
    """Raise :class:`RenderError` (a message, not an empty one) when the document's logo is unusable.

    A batch checks logos per document, in the worker: one municipality's broken logo fails its documents
    only, as any other rendering problem does; ``validate`` and ``build`` check them with the data.
    """
    if document.house.logo is None:
        return
    message = image_problem(templates.find(document.house.logo))
    if message:
        raise RenderError(f"logo: {message}")
