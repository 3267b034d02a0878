"""PDF writer: the HTML writer's page, laid out by WeasyPrint as a PDF/UA-1 and PDF/A-2a file.

Why these choices:

- **Archival and accessible.** Council documents are kept for decades and must be readable with a screen
  reader (Besluit digitale toegankelijkheid overheid), so the PDF claims PDF/A-2a (all text maps to
  Unicode, fonts embedded, sRGB output intent, tagged) and PDF/UA-1 in one file. PDF/A-2 forbids nothing
  we need and, unlike PDF/A-3, allows no arbitrary embedded files. WeasyPrint 70's tags fall short of
  PDF/UA; :mod:`generator.writers.pdf.tags` builds the structure tree in their place and
  :mod:`generator.writers.pdf.xmp` writes metadata that claims both standards.
- **Nothing from outside.** WeasyPrint reads resources only through
  :class:`~generator.writers.fetcher.TemplatesOnlyFetcher`; a refused URL stops the render and becomes a
  :class:`~generator.errors.RenderError`.
- **Deterministic bytes.** Dates come from the document, never the clock; WeasyPrint names font subsets
  by a content hash; the file identifier is derived from the dossier, municipality and kind (its first
  half) and the content (its second half). The same Document gives the same bytes in any process.
- **Batch speed.** Stylesheets are parsed once per process and templates folder and reused with one
  ``FontConfiguration``; ``import weasyprint`` happens only when this writer is first used.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

# isort: off
import generator.writers.pdf.speed  # noqa: F401  -- first: it loads WeasyPrint's libraries the fast way
# isort: on
import pydyf
from weasyprint import CSS
from weasyprint import __version__ as WEASYPRINT_VERSION
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError

from generator.document.nodes import Document
from generator.errors import DataError, RenderError
from generator.writers import WriterOptions
from generator.writers.diwoo import CATEGORY, record
from generator.writers.fetcher import RefusedResource, TemplatesOnlyFetcher
from generator.writers.html import MAIN_STYLESHEET, house_stylesheet, render_page
from generator.writers.html import clear_caches as clear_html_caches
from generator.writers.pdf.expat import html_document
from generator.writers.pdf.speed import fonts_may_change, forget_lines, prepare, remembering_lines
from generator.writers.pdf.tags import install as _install_structure_builder
from generator.writers.pdf.tags import repairing
from generator.writers.pdf.xmp import PublicationXmp, xmp_packet
from generator.writers.templatefiles import Templates, read_text

__all__ = ["PDF_VARIANT", "clear_caches", "prepare", "write"]

#: WeasyPrint's PDF/A flavour (pdfaid:part=2, pdfaid:conformance=A); the XMP also claims PDF/UA-1.
PDF_VARIANT = "pdf/a-2a"

_install_structure_builder()


@lru_cache(maxsize=1)
def _font_config() -> FontConfiguration:
    """One font configuration per process: creating it loads fontconfig, which is slow."""
    return FontConfiguration()


@lru_cache(maxsize=8)
def _fetcher_for_stylesheets(templates: Templates) -> TemplatesOnlyFetcher:
    return TemplatesOnlyFetcher(templates)


@lru_cache(maxsize=8)
def _main_stylesheet(templates: Templates) -> CSS:
    """The print stylesheet, parsed once (any url() in it goes through the restricted fetcher)."""
    return _parsed(templates.find(MAIN_STYLESHEET), templates)


@lru_cache(maxsize=64)
def _house_stylesheet(templates: Templates, slug: str) -> CSS | None:
    """A municipality's ``huisstijl.css``, parsed once, or None when it has none."""
    path = house_stylesheet(templates, slug)
    return None if path is None else _parsed(path, templates)


def _parsed(path: Path, templates: Templates) -> CSS:
    """A template stylesheet for WeasyPrint: its url()s go through the restricted fetcher, and a new
    ``@font-face`` empties the line memory (``fonts_may_change``)."""
    text = read_text(path)
    fonts_may_change(text)
    return CSS(
        string=text,
        base_url=path.as_uri(),
        url_fetcher=_fetcher_for_stylesheets(templates),
        font_config=_font_config(),
    )


def clear_caches() -> None:
    """Forget the parsed stylesheets (and the HTML writer's templates): see ``writers.clear_template_caches``."""
    _main_stylesheet.cache_clear()
    _house_stylesheet.cache_clear()
    forget_lines()
    clear_html_caches()


def _stylesheets(templates: Templates, slug: str) -> list[CSS]:
    house = _house_stylesheet(templates, slug)
    return [_main_stylesheet(templates)] + ([house] if house is not None else [])


def _identifier(doc: Document) -> bytes:
    """The permanent half of the PDF /ID: the same for every revision of this municipality's document."""
    key = f"{doc.name}\x1f{doc.dossier}\x1f{doc.municipality_slug}".encode()
    return hashlib.md5(key, usedforsecurity=False).hexdigest().encode("ascii")


def _finisher(doc: Document) -> Any:
    """WeasyPrint's last hook for ``doc``: its publication facts go into the XMP packet."""
    facts = _publication_xmp(doc)

    def finish(document: Any, pdf: pydyf.PDF) -> None:
        _finish(document, pdf, facts)

    return finish


def _publication_xmp(doc: Document) -> PublicationXmp | None:
    """The document's DiWoo facts for the XMP, or None when it has no record yet (no date: a concept)."""
    if doc.publication is None:
        return None
    try:
        found = record(doc)
    except DataError:
        return None
    dates = dict.fromkeys(d.isoformat() for d in (found.created, *(a.date for a in found.actions)) if d is not None)
    return PublicationXmp(
        identifier=found.identifiers[0],
        publisher=found.publisher[0],
        dates=tuple(dates),
        types=(found.document_type[0], CATEGORY[0]),
        relations=tuple(r.resource for r in found.relations),
        language=doc.language,
        description=found.description if found.amendments else None,
    )


def _finish(document: Any, pdf: pydyf.PDF, facts: PublicationXmp | None = None) -> None:
    """WeasyPrint's last hook before the file is written: viewer settings, XMP, then serialize each object once."""
    _show_title(pdf)
    _claim_standards(document, pdf, facts)
    _serialize_once(pdf)


def _show_title(pdf: pydyf.PDF) -> None:
    """Show the title, not the file name, in the title bar, and open the bookmarks panel (PDF/UA; readers)."""
    pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})
    pdf.catalog["PageMode"] = "/UseOutlines"


def _claim_standards(document: Any, pdf: pydyf.PDF, facts: PublicationXmp | None = None) -> None:
    """Replace WeasyPrint's XMP packet with one that claims PDF/A-2a and PDF/UA-1 (uncompressed, as PDF/A wants)."""
    number = int(bytes(pdf.catalog["Metadata"]).split()[0])
    stream = pdf.objects[number]
    stream.stream = [xmp_packet(document.metadata, f"WeasyPrint {WEASYPRINT_VERSION}", facts)]
    stream.compress = False


class _SerializedOnce:
    """Mixin for pydyf objects: their bytes are computed on first use and then kept.

    Why: a PDF/A file needs an /ID, and pydyf computes its second half by serializing every object a second
    time after writing it, compressing every stream (font subsets, page contents) at zlib level 9 again.
    Nothing changes an object between the two passes, so the second pass can take the first one's bytes:
    the file is byte for byte the same (``tests/test_writer_pdf.py`` checks it) and a PDF costs fewer
    instructions (measured with callgrind; see docs/performance.md).
    """

    @property
    def data(self) -> bytes:
        cached: bytes | None = self.__dict__.get("_serialized")
        if cached is None:
            cached = cast(Any, super()).data
            self.__dict__["_serialized"] = cached
        return cast(bytes, cached)


_SERIALIZED_ONCE_CLASSES: dict[type, type] = {}


def _serialized_once_class(cls: type) -> type:
    """``cls`` with :class:`_SerializedOnce` mixed in (one class per pydyf class, made on first use)."""
    made = _SERIALIZED_ONCE_CLASSES.get(cls)
    if made is None:
        made = _SERIALIZED_ONCE_CLASSES[cls] = type(f"SerializedOnce{cls.__name__}", (_SerializedOnce, cls), {})
    return made


def _serialize_once(pdf: pydyf.PDF) -> None:
    """Give every object of ``pdf`` the caching ``data`` of :class:`_SerializedOnce` (right before writing)."""
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Object) and obj.free != "f" and hasattr(obj, "__dict__"):
            obj.__class__ = _serialized_once_class(type(obj))


def _refusal_message(exc: BaseException) -> str:
    if isinstance(exc, RefusedResource):
        return str(exc)
    cause = exc.__cause__
    if isinstance(cause, RenderError):
        return str(cause)
    return f"een bron kon niet worden geladen ({exc})"


# Without Debian's libharfbuzz-subset0, WeasyPrint subsets fonts with fontTools, which stamps each subset's
# 'head' table with the current time unless SOURCE_DATE_EPOCH is set. A fixed epoch (2000-01-01) keeps the
# bytes the same on any machine; a value the caller set is left alone.
FONT_EPOCH = "946684800"


@contextlib.contextmanager
def _font_epoch() -> Iterator[None]:
    """SOURCE_DATE_EPOCH for the length of one render only: a library call leaves the process environment as
    it found it (fontTools reads the variable each time it stamps a subset, so setting it around the render is
    enough)."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = FONT_EPOCH
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def write(doc: Document, options: WriterOptions) -> bytes:
    """Render ``doc`` to PDF bytes, or raise :class:`RenderError` with a Dutch message."""
    templates = options.templates
    page = render_page(doc, options, standalone=False)
    fetcher = TemplatesOnlyFetcher(templates)
    try:
        stylesheets = _stylesheets(templates, doc.municipality_slug)
        html = html_document(page, templates.roots[-1].as_uri() + "/", fetcher)
        with repairing(), _font_epoch(), remembering_lines(doc.dossier):
            data = html.write_pdf(
                stylesheets=stylesheets,
                font_config=_font_config(),
                pdf_variant=PDF_VARIANT,
                pdf_tags=True,
                pdf_identifier=_identifier(doc),
                finisher=_finisher(doc),
            )
    except FatalURLFetchingError as exc:
        raise RenderError(f"PDF van {doc.municipality} niet gemaakt: {_refusal_message(exc)}") from exc
    except RenderError:
        raise
    except Exception as exc:  # WeasyPrint has no exception tree of its own; wrap at the boundary
        raise RenderError(f"PDF van {doc.municipality} niet gemaakt: {type(exc).__name__}: {exc}") from exc
    if fetcher.refused:  # refusals WeasyPrint swallowed (e.g. while drawing an SVG)
        raise RenderError(f"PDF van {doc.municipality} niet gemaakt: {fetcher.refused[0]}")
    if not isinstance(data, bytes):  # write_pdf returns bytes when no target is given
        raise RenderError("WeasyPrint gaf geen PDF terug")
    return data
