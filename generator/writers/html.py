"""HTML writer: the IR rendered through Jinja2 templates in ``templates/html/``.

Why HTML at all: it is both an output format (a standalone page a clerk can open in any browser) and the
input of the PDF writer, so the two never disagree. Every IR node type has one macro in
``templates/html/nodes.html``; the page skeleton is ``templates/html/page.html``.

Autoescaping is on for every template: all text in the IR is data, never markup, so a clerk who types
``<img src=…>`` sees those characters in the document and nothing is ever loaded. Links are written as
``<a href>`` only for ``https:`` and ``mailto:`` targets (checked again here, defence in depth).

The Jinja environment, the stylesheets and house styles are read once per process and templates folder
(``functools.lru_cache``): a batch renders hundreds of documents with the same templates.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from generator.document import visit
from generator.document.nodes import Block, Document, Inline
from generator.errors import RenderError, TemplateError, display_path
from generator.sources.slugs import SLUG_RE
from generator.writers import WriterOptions
from generator.writers.templatefiles import Templates, read_text

__all__ = ["MAIN_STYLESHEET", "clear_caches", "house_stylesheet", "is_safe_href", "render_page", "write"]

MAIN_STYLESHEET = "html/raadsvoorstel.css"
_HOUSE_STYLESHEET = "gemeenten/{slug}/huisstijl.css"
_COLOR_RE = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def is_safe_href(href: str) -> bool:
    """True for ``https://host…`` and ``mailto:…`` only; anything else is written as plain text.

    The parser already guarantees this for data files; the writer checks again because an ``<a href>``
    in a PDF is a live link the reader may click, and ``javascript:``/``file:``/``http:`` must never be.
    """
    if any(ch.isspace() or ord(ch) < 0x20 or ch in "\\\"'<>`" for ch in href):
        return False
    lowered = href.lower()
    if lowered.startswith("https://"):
        return len(lowered) > len("https://") and not lowered.startswith("https:///")
    return lowered.startswith("mailto:") and len(lowered) > len("mailto:")


def _node_kind(node: Block | Inline) -> str:
    """The node's kind as the IR's one visitor names it ("Paragraph"), so a template picks the macro for a node;
    anything else keeps its class name and reaches the templates' ``unknown_node``."""
    try:
        return visit.node_kind(node)
    except TypeError:
        return type(node).__name__


def _spoken_blanks(text: str) -> Markup:
    """Escape ``text`` and give the open meeting date of an ontwerpbesluit (a row of dots, filled in by hand
    after the vote) the words a screen reader says instead: "datum nog in te vullen", not eight ellipses."""
    from generator.document.nodes import OPEN_DATE, OPEN_DATE_SPOKEN  # not the besluit's builder: 0.12 s

    dots = Markup(f'<span class="open-datum" aria-label="{OPEN_DATE_SPOKEN}">{OPEN_DATE}</span>')
    return Markup.escape(text).replace(OPEN_DATE, dots)


def _unknown_node(kind: str) -> str:
    """Called by the templates for a node type without a macro: a new IR node must not vanish silently."""
    raise RenderError(f"het HTML-sjabloon kent het documentonderdeel '{kind}' niet")


class _Loader(jinja2.FileSystemLoader):
    """Jinja's file loader, except that a template file that is not UTF-8 is a :class:`TemplateError` naming
    the file and line (Jinja lets the ``UnicodeDecodeError`` through, which the CLI calls an internal error)."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError:
            for root in self.searchpath:
                candidate = Path(root, *template.split("/"))
                if candidate.is_file():
                    read_text(candidate)  # raises the TemplateError for the file Jinja read
            raise


@lru_cache(maxsize=8)
def _environment(templates: Templates) -> jinja2.Environment:
    """One compiled environment per template search path; ``auto_reload`` off so files are read only once.

    Jinja's loader searches the roots in order, so a project's ``templates/html/nodes.html`` overrides the
    package's file by file, like every other template.
    """
    env = jinja2.Environment(
        loader=_Loader([str(root / "html") for root in templates.roots]),
        autoescape=True,
        auto_reload=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["kind"] = _node_kind
    env.filters["spoken_blanks"] = _spoken_blanks
    env.tests["safe_href"] = is_safe_href
    env.globals["unknown_node"] = _unknown_node
    return env


@lru_cache(maxsize=64)
def _read_text(path: Path) -> str:
    return read_text(path)


def clear_caches() -> None:
    """Forget the compiled templates and stylesheets read so far: a long-running preview calls this when a
    template file changes on disk (a batch never needs to)."""
    _environment.cache_clear()
    _read_text.cache_clear()


def house_stylesheet(templates: Templates, slug: str) -> Path | None:
    """The municipality's ``gemeenten/<slug>/huisstijl.css`` in the templates, if there is one."""
    if not SLUG_RE.fullmatch(slug):
        raise RenderError(f"ongeldige gemeentecode '{slug}' (alleen kleine letters, cijfers en '-')")
    return templates.find_optional(_HOUSE_STYLESHEET.format(slug=slug))


def _house_color(doc: Document) -> str:
    """The colour goes into a ``<style>`` element, so only a plain hex colour is accepted."""
    color = doc.house.color.strip()
    if not _COLOR_RE.fullmatch(color):
        raise RenderError(f"huisstijlkleur '{color[:40]}' van {doc.municipality} is geen kleur als '#1F4E79'")
    return color


@dataclass(frozen=True, slots=True)
class _Logo:
    src: str
    alt: str


def _logo(doc: Document, templates: Templates, *, standalone: bool) -> _Logo | None:
    """The logo inlined as a data URL, or, for an SVG logo in the PDF writer's input, the ``file:`` URL of the
    template file (an SVG may name files beside it, which the restricted fetcher serves from templates/).

    Why a raster logo is inlined for the PDF too: WeasyPrint names an image in the PDF after the MD5 of its URL,
    so a ``file:`` URL would put the checkout's absolute path into the bytes, and the same dossier built in
    another folder would give another PDF. The data URL names the image by its content."""
    if doc.house.logo is None:
        return None
    path = templates.find(doc.house.logo)
    mime = _LOGO_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
    if mime is None or not mime.startswith("image/"):
        raise RenderError(f"logo '{doc.house.logo}' is geen afbeelding (svg, png of jpg)")
    alt = doc.logo_alt
    if not standalone and mime == "image/svg+xml":
        return _Logo(path.as_uri(), alt)
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return _Logo(f"data:{mime};base64,{data}", alt)


def _iso_date(doc: Document) -> str | None:
    """The document date for ``dcterms.created``; None leaves the dates out (never ``now()``)."""
    return doc.date.isoformat() if doc.date is not None else None


def render_page(doc: Document, options: WriterOptions, *, standalone: bool = True) -> str:
    """The HTML page of ``doc``.

    ``standalone=True`` embeds the stylesheets and logo so the file works on its own in a browser;
    ``standalone=False`` is the PDF writer's input: stylesheets are passed to WeasyPrint pre-parsed and
    the logo is a ``file:`` URL that the restricted fetcher serves from templates/.
    """
    templates = options.templates
    css = ""
    if standalone:
        css = _read_text(templates.find(MAIN_STYLESHEET))
        house = house_stylesheet(templates, doc.municipality_slug)
        if house is not None:
            css += "\n" + _read_text(house)
    try:
        template = _environment(templates).get_template("page.html")
        return template.render(
            doc=doc,
            css=Markup(css),  # trusted: read from templates/, never from data files
            color=_house_color(doc),
            logo=_logo(doc, templates, standalone=standalone),
            iso_date=_iso_date(doc),
        )
    except jinja2.TemplateSyntaxError as exc:
        where = f"{display_path(Path(exc.filename))}:{exc.lineno}" if exc.filename else f"{exc.name}:{exc.lineno}"
        raise TemplateError(f"HTML-sjabloon {where}: kon niet worden gelezen: {exc.message}") from exc
    except jinja2.TemplateError as exc:
        raise RenderError(f"HTML-sjabloon kon niet worden verwerkt: {exc}") from exc


def write(doc: Document, options: WriterOptions) -> str:
    """The registry entry point: a standalone HTML5 page."""
    return render_page(doc, options, standalone=True)
