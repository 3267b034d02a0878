"""Speed levers applied to WeasyPrint and its helpers from outside: they change how fast a PDF is made, never
its bytes.

Why one module: each lever relies on a private detail of a pinned library. Keeping them together means one
place to read, one switch to turn them all off (``RAADSVOORSTEL_PURE=1``: the plain libraries, as released)
and one table of :data:`TARGETS` — the functions whose signature and source each lever was measured against.
A lever is applied only with the pinned WeasyPrint (:data:`WEASYPRINT_PIN`); ``tests/test_pdf_speed.py``
fails loudly, naming the function, when a release changes a target, and proves that both paths give the same
bytes for every example document.

The levers (figures in docs/performance.md):

- **Library loading.** WeasyPrint tries several names per library (``libpango-1.0-0``, ``pango-1.0``, …,
  ``libpango-1.0.so.0``); for every name that is not a file cffi calls ``ctypes.util.find_library``, which
  on Linux runs ``ldconfig`` and ``gcc`` — 22 subprocesses, about 0.2 s wall and 0.13 s CPU per process
  start. While WeasyPrint loads, :func:`load_weasyprint` makes ``find_library`` answer "not found" at once,
  so cffi goes on to the ``libX.so.N`` name and opens it directly: the same library files (the test compares
  the process's memory map). Should that fail on some system, WeasyPrint is loaded again the plain way.
  Importing this module applies it, so the PDF writer imports it first.
- **Line splitting remembered per dossier.** The municipalities of one dossier share most of their text, and
  WeasyPrint's ``split_first_line`` (Pango line breaking, a fifth of a PDF's instructions) is asked the
  same questions again for each of them. Within :func:`remembering_lines` the answers of earlier documents
  of the same dossier are reused; the memory is emptied when the next dossier starts. The batch keeps each
  worker on a dossier of its own while another dossier is waiting (``batch/schedule.choose_dossier``), so
  a dossier's memory is built once; two workers share a dossier (each building its own memory) only when
  nothing else is waiting, which keeps both cores busy.
- **A style's key worked out once.** The memory's key holds the style properties a line split reads; WeasyPrint
  computes them lazily, and one style object serves many text boxes, so the key part of a style is kept
  for the length of one render.
- **Glyph arrays without a C parser.** To subset a font WeasyPrint asks cffi for ``hb_codepoint_t[N]`` with N
  the number of glyphs, three times per font and document. cffi parses every new type text with pycparser
  (about 1.6 ms each) and almost every N is new, so a batch worker parsed C two or three times per PDF and a
  dozen times in its first. Within ``weasyprint.pdf.fonts`` an array of exactly its initialiser's length is
  asked for as ``hb_codepoint_t[]``, a type cffi parsed once: the same items in memory, for HarfBuzz the same
  call. Installed with the first render (:class:`SizedArrays`).
- **Drawn lines remembered per dossier.** Drawing a line of text rebuilds its Pango layout from the text and
  the style (shaping it again) and walks its glyphs in Python to write the glyph string: about a tenth of a
  PDF. What a plain line puts on the page — a text object, per run a font, a size and a glyph string — is a
  function of its text, its justification and the keyed style properties, like a line split; only its
  position and colour are the box's own. The first drawing in a dossier is recorded (:class:`_Recorder`), a
  later one replayed (:func:`_replay`), and the fonts' glyph widths and texts reach the document's fonts as
  WeasyPrint would give them. Lines with a decoration, an ellipsis, a missing glyph or an emoji font are
  always drawn the plain way. Emptied with the line memory.
- **fontTools' subsetter and instancer imported when first used.** WeasyPrint's PDF font module imports them
  (34 ms, an eighth of what the forkserver imports for a PDF batch) but calls them only for a font HarfBuzz
  cannot subset or a variable font. While WeasyPrint is imported they are stand-ins that import the real
  module on first use (:func:`_deferred_font_tools`); applied with the library loading.
- **C declarations parsed ahead of time.** WeasyPrint declares its C interface to cffi as 16 KB of C text, which
  cffi parses with pycparser at every import of WeasyPrint (15 ms of processor time in each cold process: the
  batch's forkserver, a ``build``, the preview). pycparser's tree of exactly that text is stored with the
  package (``generator/data/weasyprint-cdef.pickle``, made by ``python -m tools.make_cffi_declarations``);
  while WeasyPrint is imported, cffi's parser takes it from there (:func:`_stored_declarations`), only for that
  text (its SHA-256) in a parser that holds no declarations yet, and only from the stored file with its own
  SHA-256. cffi builds its types from the tree as always; applied with the library loading.
- **Form and presentational-hint stylesheets parsed when first used.** WeasyPrint parses its user-agent
  stylesheets for PDF forms and for presentational hints when it is imported (7 ms), but reads them only for a
  PDF with forms (``pdf_forms``) or with hints (``presentational_hints``); the PDF writer asks for neither.
  While WeasyPrint is imported they are :class:`_LaterStylesheet` objects that parse their text on first use
  (:func:`_later_stylesheets`); applied with the library loading.
- **The user-agent stylesheet parsed ahead of time.** WeasyPrint parses its user-agent stylesheet
  (``html5_ua.css``: tinycss2, then every selector compiled to a Python function) at every import, 19 ms. The
  parsed stylesheet is stored with the package (``generator/data/weasyprint-ua.pickle``, made by ``python -m
  tools.make_ua_stylesheet``; a compiled selector as its code object); while WeasyPrint is imported, that text
  (its SHA-256) with an empty counter-style register is answered from there, only from the stored file with
  its own SHA-256, made by the same Python bytecode version, with the tested WeasyPrint, tinycss2 and
  cssselect2. The same rules, the same counter styles; applied with the library loading.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import ctypes.util
import functools
import hashlib
import importlib
import importlib.abc
import importlib.util
import inspect
import io
import linecache
import logging
import os
import pickle
import re
import sys
import types
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from importlib import metadata, resources
from typing import Any

__all__ = [
    "LEVERS",
    "PURE_VARIABLE",
    "STYLE_KEYS",
    "TARGETS",
    "TESTED_VERSIONS",
    "WEASYPRINT_PIN",
    "SizedArrays",
    "Target",
    "TargetChanged",
    "check",
    "describe",
    "dump_stylesheet",
    "expat_allowed",
    "fonts_may_change",
    "forget_lines",
    "keep_later_stylesheets",
    "keep_stand_ins",
    "load_weasyprint",
    "prepare",
    "remembering_lines",
    "stepped_aside",
]

logger = logging.getLogger(__name__)

#: Set to ``1`` to run WeasyPrint exactly as released (no lever applied).
PURE_VARIABLE = "RAADSVOORSTEL_PURE"

#: The releases the fingerprints in :data:`TARGETS` were taken from: the tested set. With another WeasyPrint
#: every lever stays off; with another cffi or tinyhtml5 the levers that rely on it (see :data:`LEVERS`).
#: ``tests/test_pdf_speed.py`` fails when the installed set differs, so a new release is re-measured, not assumed.
TESTED_VERSIONS: dict[str, str] = {
    "weasyprint": "70.0", "cffi": "2.1.1", "tinyhtml5": "2.1.0", "pycparser": "3.12", "tinycss2": "1.5.1",
    "cssselect2": "0.10.1",
}  # fmt: skip

#: The WeasyPrint release the levers were measured against; with any other release they stay off.
WEASYPRINT_PIN = TESTED_VERSIONS["weasyprint"]


class TargetChanged(RuntimeError):
    """A function a lever relies on is not the one it was measured against."""


@dataclass(frozen=True)
class Target:
    """A library function a lever relies on: where it lives, its signature and a hash of its source."""

    module: str
    name: str
    signature: str
    source_sha256: str

    def resolve(self) -> Callable[..., Any]:
        found: Any = importlib.import_module(self.module)
        for part in self.name.split("."):  # "HTML.__init__": a method
            found = getattr(found, part)
        function: Callable[..., Any] = found
        return function


#: Every function whose behaviour a lever depends on, as measured.
TARGETS: dict[str, Target] = {
    # WeasyPrint tries each name of a library in turn and keeps the first that cffi opens.
    "dlopen": Target(
        "weasyprint.text.ffi",
        "_dlopen",
        "(ffi, *names, allow_fail=False)",
        "9ab3167cbc80487105bc61a3350eeb88c64b5bece5dd8f3fae6556db441f9c78",
    ),
    # cffi opens a name with a dot directly and asks ctypes.util.find_library only when that fails.
    "load_backend_lib": Target(
        "cffi.api",
        "_load_backend_lib",
        "(backend, name, flags)",
        "6dd2d8c9061e7e9a1cff68e2b3f5487e682aeaa9510d41d0b2d2e8bf6b1fa796",
    ),
    # The remembered function: its answer depends on the text, the style properties in STYLE_KEYS, the
    # width, the justification and the two flags, and its layout comes back deactivated.
    "split_first_line": Target(
        "weasyprint.text.line_break",
        "split_first_line",
        "(text, style, context, max_width, justification_spacing, is_line_start=True, minimum=False)",
        "39ad1016863ca34de0bea4c9fcffb46da7e27813c87dd82b7011bfa19fe5504f",
    ),
    # Deactivates the layout it returns (drops the Pango objects and the style; keeps text and widths).
    "first_line_metrics": Target(
        "weasyprint.text.line_break",
        "first_line_metrics",
        "(first_line, text, layout, resume_at, space_collapse, style, hyphenated=False, hyphenation_character=None)",
        "55ec5d0b58b29a8bda9f4c85d3bc3bc46b45d2110e05982e7126c7f4d507e65d",
    ),
    # A layout is rebuilt from its text and the drawing box's style (reactivate): a copy is a full layout.
    "Layout": Target(
        "weasyprint.text.line_break",
        "Layout",
        "(style, justification_spacing=0, max_width=None)",
        "681b737d1ba5e004efdc3ee409478b6b3e05ee0662142c5875b188bc9eefa698",
    ),
    # pdf_expat builds WeasyPrint's HTML object from its own tree: these are the fields the constructor sets.
    "HTML.__init__": Target(
        "weasyprint",
        "HTML.__init__",
        "(self, guess=None, filename=None, url=None, file_obj=None, string=None, encoding=None, base_url=None, "
        "url_fetcher=None, media_type='print')",
        "5f19f40b81837f87ae7af8e5c53d5f11e7c98ba245094a86d45f5f14d001b943",
    ),
    # The HTML5 parser whose trees pdf_expat reproduces inside its profile (tinyhtml5, as WeasyPrint calls it).
    "tinyhtml5.parse": Target(
        "tinyhtml5.parser",
        "parse",
        "(document, namespace_html_elements=True, **kwargs)",
        "96cbcbb8fe5ef6e035e0950880f569edd6d66476e78fbd19a76f41167943fc80",
    ),
    # Asks cffi for hb_codepoint_t[len(x)] initialised from x, three times per font (the SizedArrays lever).
    "Font._harfbuzz_subset": Target(
        "weasyprint.pdf.fonts",
        "Font._harfbuzz_subset",
        "(self, to_unicode, hinting)",
        "f80805663ede8080a3e1ffff831e20c74bd25fa3b8e4410334ba807158dc685f",
    ),
    # An open array initialised from a sequence gets exactly its length: "T[]" with x is "T[len(x)]" with x.
    "FFI.new": Target(
        "cffi.api",
        "FFI.new",
        "(self, cdecl, init=None)",
        "7c8dfa3e98b255edb16a3efab2f0c656aafb1d756e9838deec6a354bcdae7681",
    ),
    # Drawing reactivates the box's layout and, for an ellipsis, changes its text: one copy per box.
    "draw_first_line": Target(
        "weasyprint.draw.text",
        "draw_first_line",
        "(stream, textbox, text_overflow, block_ellipsis, matrix)",
        "1bb8eae6d88e71b17096a034656f3be17da8f1f513c78536c1c38d971927638b",
    ),
    # Calls instantiateVariableFont (for a variable font) as the module bound it at import.
    "Font.clean": Target(
        "weasyprint.pdf.fonts",
        "Font.clean",
        "(self, to_unicode, hinting)",
        "794f0211f18453f1a291056fcd6659cdcb262f7c1133cf5b2ea015df379c6813",
    ),
    # Uses subset.Options and subset.Subsetter (a font HarfBuzz cannot subset) from the module bound at import.
    "Font._fonttools_subset": Target(
        "weasyprint.pdf.fonts",
        "Font._fonttools_subset",
        "(self, to_unicode, hinting)",
        "1faa45f3c4cae67e0a8eace77b1ff41f8e161607a502c3daf6baf5879bf5952b",
    ),
    # The drawn-lines memory replaces this: colour, reactivated layout, one text object by draw_first_line;
    # decorations, ellipses and hidden text go the plain way.
    "draw_text": Target(
        "weasyprint.draw",
        "draw_text",
        "(stream, textbox, offset_x, text_overflow, block_ellipsis)",
        "ebaf96239c6ca3635d2b91bfb34718c2dcebd7809fec1c53fb8dffd1366befe3",
    ),
    # A replayed line finds its font in the document's fonts under the key add_font files it by.
    "Stream.add_font": Target(
        "weasyprint.pdf.stream",
        "Stream.add_font",
        "(self, pango_font)",
        "e4226e111747721713ef1a513ba39542ac767bf32f354a18da2207b0ddf44787",
    ),
    # Skips a font that is already current: replayed through the real stream, so the state is its own.
    "Stream.set_font_size": Target(
        "weasyprint.pdf.stream",
        "Stream.set_font_size",
        "(self, font, size)",
        "34b9096d1555895d16257f7eb953bc4e971a021f1112abe63a922eec289fdb36",
    ),
    # Hands out the form stylesheet only for a PDF with forms: parsed on first use otherwise (the later lever).
    "HTML._ua_stylesheets": Target(
        "weasyprint",
        "HTML._ua_stylesheets",
        "(self, forms=False)",
        "4fadfde9d15075b22dcfa409ec8a03af0aa1097d695be59b680017cf1bf94fe2",
    ),
    # Hands out the presentational-hint stylesheet; WeasyPrint asks for it only with presentational_hints.
    "HTML._ph_stylesheets": Target(
        "weasyprint",
        "HTML._ph_stylesheets",
        "(self)",
        "f9dab3b96420c3f53ce08f2ecb84ccf923efbff220c0d5d0da2a5e7ae6ca7922",
    ),
    # Returns pycparser's tree of a C text (with the typedef names the parser knows) as (tree, macros, text): what
    # the stored declarations stand in for.
    "Parser._parse": Target(
        "cffi.cparser",
        "Parser._parse",
        "(self, csource)",
        "7a1e99aa364aa3c6a351c4eb2f70434367bf93cb5a1c14928fdd9aba544d9011",
    ),
}


#: Each lever (as ``--verbose`` and ``make bench`` name it): the targets it relies on and the libraries of the
#: tested set it was measured with. A lever is on only when all of them are as measured; every target belongs
#: to exactly one lever, and each is checked at run time before its lever is put in.
LEVERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "bibliotheken laden": (("dlopen", "load_backend_lib"), ("weasyprint", "cffi")),
    "fontTools bij gebruik": (("Font.clean", "Font._fonttools_subset"), ("weasyprint",)),
    "regelgeheugen": (("split_first_line", "first_line_metrics", "Layout"), ("weasyprint",)),
    "getekende regels": (
        ("draw_text", "draw_first_line", "Stream.add_font", "Stream.set_font_size"),
        ("weasyprint",),
    ),
    "glyph-arrays": (("Font._harfbuzz_subset", "FFI.new"), ("weasyprint", "cffi")),
    "expat-parser": (("HTML.__init__", "tinyhtml5.parse"), ("weasyprint", "tinyhtml5")),
    "C-declaraties vooraf": (("Parser._parse",), ("weasyprint", "cffi", "pycparser")),
    "stylesheets bij gebruik": (("HTML._ua_stylesheets", "HTML._ph_stylesheets"), ("weasyprint",)),
    "UA-stylesheet vooraf": ((), ("weasyprint", "tinycss2", "cssselect2")),
}

_stepped_aside: dict[str, str] = {}  # lever → the Dutch message, once per process, in the order it happened


@functools.cache
def _installed_version(library: str) -> str | None:
    """A library's installed version, asked of ``importlib.metadata`` once per process: ``pure`` is asked at
    import and twice per PDF, and each lookup searches the installed packages again (0.25 ms)."""
    try:
        return metadata.version(library)
    except metadata.PackageNotFoundError:
        return None


def _unimported_digest(module: str, name: str) -> str | None:
    """The SHA-256 :func:`fingerprint` gives a top-level function of ``module``, read from its source file
    without importing it (the library-loading lever acts while WeasyPrint's ``ffi`` module is imported)."""
    top, *inner = module.split(".")
    spec = importlib.util.find_spec(top)  # a top-level name: found without importing anything
    if spec is None or spec.origin is None:
        return None
    if inner:  # find_spec("a.b") would import the package "a", and with WeasyPrint that is all of it
        locations = list(spec.submodule_search_locations or ())
        if not locations:
            return None
        path = os.path.join(locations[0], *inner[:-1], inner[-1] + ".py")
    else:
        path = spec.origin
    try:
        with open(path, encoding="utf-8") as handle:
            source = handle.read()
    except OSError:
        return None
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name == name and not node.decorator_list:
            lines = source.splitlines(keepends=True)[node.lineno - 1 : node.end_lineno]
            return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()
    return None


def _why_changed(name: str, function: Callable[..., Any] | None) -> str | None:
    """In Dutch, why target ``name`` is not the measured one, or None when it is."""
    target = TARGETS[name]
    where = f"{target.module}.{target.name}"
    if function is None:  # not imported yet: the source on disk
        digest = _unimported_digest(target.module, target.name)
        return None if digest == target.source_sha256 else f"{where} is niet de gemeten functie (andere broncode)"
    function = getattr(function, "raadsvoorstel_original", function)  # a lever already in: the function it wraps
    try:
        signature, digest = fingerprint(function)
    except (OSError, TypeError):  # no source to read: replaced by something we do not know
        return f"{where} is niet de gemeten functie (geen broncode)"
    if signature != target.signature:
        return f"{where} is niet de gemeten functie (andere parameters: {signature})"
    if digest != target.source_sha256:
        return f"{where} is niet de gemeten functie (andere broncode)"
    return None


def _step_aside(lever: str, reason: str) -> None:
    """Record (once per process) that ``lever`` stays off and why; the library logs it, the CLI shows it with
    ``--verbose`` and ``make bench`` prints it."""
    if lever in _stepped_aside:
        return
    message = f"snelheidslaag: '{lever}' staat uit: {reason}; de PDF's zijn dezelfde, alleen trager"
    _stepped_aside[lever] = message
    logger.info(message)


def _allowed(lever: str, functions: dict[str, Callable[..., Any] | None] | None = None) -> bool:
    """Whether ``lever`` may be put in: the tested versions of its libraries and every target as measured.
    ``functions`` gives a target's function as found where the lever acts (None: not imported yet); the others
    are imported from the target's place. When not allowed, the lever steps aside and says so once."""
    targets, libraries = LEVERS[lever]
    for library in libraries:
        found = _installed_version(library)
        if found != TESTED_VERSIONS[library]:
            tested = TESTED_VERSIONS[library]
            _step_aside(lever, f"{library} {found or '(niet geïnstalleerd)'} is niet de geteste {tested}")
            return False
    given = functions or {}
    for name in targets:
        reason = _why_changed(name, given[name] if name in given else TARGETS[name].resolve())
        if reason is not None:
            _step_aside(lever, reason)
            return False
    return True


def stepped_aside() -> tuple[str, ...]:
    """Every lever that stays off in this process, with the reason, in Dutch (empty when all are on). Checks
    the levers not yet reached, so the answer is complete; imports WeasyPrint (call it only when asked)."""
    if os.environ.get(PURE_VARIABLE, "") not in ("", "0"):
        return (f"snelheidslaag: staat uit op verzoek ({PURE_VARIABLE}=1); de PDF's zijn dezelfde, alleen trager",)
    for lever in LEVERS:
        if lever not in _stepped_aside:
            _allowed(lever)
    return tuple(_stepped_aside.values())


def describe() -> str:
    """One line for ``make bench``: which levers are on, against which versions; or the ones that are off."""
    notes = stepped_aside()
    versions = ", ".join(f"{lib} {_installed_version(lib) or '-'}" for lib in TESTED_VERSIONS)
    if not notes:
        return f"snelheidslaag: alle {len(LEVERS)} hefbomen aan ({len(TARGETS)} functies gecontroleerd; {versions})"
    return "\n".join(notes)


def fingerprint(function: Callable[..., Any]) -> tuple[str, str]:
    """The signature and the SHA-256 of the source of ``function``: what :func:`check` compares."""
    source = source_text(function)
    return str(inspect.signature(function)), hashlib.sha256(source.encode("utf-8")).hexdigest()


def source_text(function: Callable[..., Any]) -> str:
    """``inspect.getsource(function)``, the same text; for an undecorated top-level class found without parsing
    its whole module (inspect does that to learn where a class starts: 7 ms for WeasyPrint's ``Layout``, in
    every process that checks the line memory's targets)."""
    if inspect.isclass(function) and "." not in function.__qualname__:
        path = inspect.getsourcefile(function)
        if path:
            linecache.checkcache(path)
            lines = linecache.getlines(path)
            start = re.compile(rf"class {re.escape(function.__name__)}\b")
            found = [i for i, line in enumerate(lines) if start.match(line)]
            if len(found) == 1 and not (found[0] and lines[found[0] - 1].startswith("@")):
                return "".join(inspect.getblock(lines[found[0] :]))
    return inspect.getsource(function)


def check(function: Callable[..., Any], target: Target) -> None:
    """Raise :class:`TargetChanged` when ``function`` is not the one ``target`` describes."""
    signature, digest = fingerprint(function)
    where = f"{target.module}.{target.name}"
    if signature != target.signature:
        raise TargetChanged(f"{where}: signature {signature} is not {target.signature}; re-measure the lever")
    if digest != target.source_sha256:
        raise TargetChanged(f"{where}: source changed (sha256 {digest}); re-read it and re-measure the lever")


def pure() -> bool:
    """Whether the levers are off: asked for, or a WeasyPrint other than the pinned one."""
    if os.environ.get(PURE_VARIABLE, "") not in ("", "0"):
        return True
    found = _installed_version("weasyprint")
    if found != WEASYPRINT_PIN:
        for lever in LEVERS:
            _step_aside(lever, f"weasyprint {found or '(niet geïnstalleerd)'} is niet de geteste {WEASYPRINT_PIN}")
        return True
    return False


@contextlib.contextmanager
def _direct_library_names() -> Iterator[None]:
    """``ctypes.util.find_library`` answers "not found" without running ldconfig or gcc."""
    original = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = original


def load_weasyprint() -> None:
    """Import WeasyPrint's library bindings (``weasyprint.text.ffi``), with the library-loading lever unless
    :func:`pure`. Call before anything imports WeasyPrint; once loaded, this does nothing."""
    if "weasyprint.text.ffi" in sys.modules or pure():
        importlib.import_module("weasyprint.text.ffi")
        return
    direct = _allowed("bibliotheken laden", {"dlopen": None})  # before the import: dlopen's source on disk
    names = _direct_library_names() if direct else contextlib.nullcontext()
    try:
        # WeasyPrint prints an installation hint before it raises; the plain retry below prints its own.
        with names, contextlib.redirect_stdout(io.StringIO()), _deferred_font_tools(), _stored_declarations(), \
                _later_stylesheets():
            importlib.import_module("weasyprint.text.ffi")  # and with it all of WeasyPrint
    except OSError:
        for name in [name for name in sys.modules if name == "weasyprint" or name.startswith("weasyprint.")]:
            del sys.modules[name]
        importlib.import_module("weasyprint.text.ffi")


# --- WeasyPrint's C declarations, parsed ahead of time --------------------------------------------------------

#: pycparser's tree of WeasyPrint's C declarations, as cffi's ``Parser._parse`` returns it, pickled (in the
#: package's ``data``); made by ``python -m tools.make_cffi_declarations``, which prints the two sums below.
CDEF_FILE = "weasyprint-cdef.pickle"
#: The SHA-256 of the C text the stored tree was parsed from (WeasyPrint 70.0's ``text/ffi.py``).
CDEF_SOURCE_SHA256 = "299e085733e812fe423fff2164d6600d7a2a647a587339c14f6efed520bf75cf"
#: The SHA-256 of the stored file: any other file is not unpickled (the text is then parsed as always).
CDEF_FILE_SHA256 = "1dc45d67cd6a93e758f3f9f0cb8e2faa41951bc8421bad25a269ba2424eed155"


def _stored_tree() -> Any:
    """The stored ``(tree, macros, text)`` of WeasyPrint's declarations, or None when the file is missing or not
    the one made for this code (its SHA-256)."""
    try:
        data = (resources.files("generator") / "data" / CDEF_FILE).read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != CDEF_FILE_SHA256:
        return None
    return pickle.loads(data)  # the package's own file, checked above


@contextlib.contextmanager
def _stored_declarations() -> Iterator[None]:
    """While WeasyPrint is imported, cffi's parser takes the stored tree for WeasyPrint's declarations instead of
    parsing them with pycparser (15 ms). Only for exactly that text, in a parser without declarations of its
    own (the tree of a C text depends on the typedef names the parser already knows), and only when
    ``Parser._parse`` is the measured function and cffi and pycparser the tested releases; any other text is
    parsed as always. What cffi then builds from the tree is what it builds from a tree it parsed itself."""
    import cffi.cparser

    original = cffi.cparser.Parser._parse
    if "weasyprint.text.ffi" in sys.modules or not _allowed("C-declaraties vooraf", {"Parser._parse": original}):
        yield
        return

    def _parse(self: Any, csource: str) -> Any:
        if not self._declarations and hashlib.sha256(csource.encode("utf-8")).hexdigest() == CDEF_SOURCE_SHA256:
            stored = _stored_tree()
            if stored is not None:
                return stored
        return original(self, csource)

    _parse.raadsvoorstel_original = original  # type: ignore[attr-defined]
    cffi.cparser.Parser._parse = _parse
    try:
        yield
    finally:
        cffi.cparser.Parser._parse = original


# --- WeasyPrint's form and presentational-hint stylesheets, parsed when first used -----------------------

#: The names ``weasyprint.html`` gives the two user-agent stylesheets it parses at import and WeasyPrint reads
#: only for a PDF with forms or with presentational hints, and the files their text comes from.
LATER_STYLESHEETS = {"UA_FORM_STYLESHEET": "html5_ua_form.css", "PH_STYLESHEET": "html5_ph.css"}


def _make_later_stylesheet(css_class: Any) -> Any:
    """A subclass of WeasyPrint's ``CSS`` whose instances keep their arguments and parse on first use."""

    class _LaterStylesheet(css_class):  # type: ignore[misc]  # WeasyPrint's CSS, untyped
        """A stylesheet that is parsed (``CSS.__init__`` with the arguments it was made with) the first time any
        of its attributes is read; until then it holds only those arguments."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self.__dict__["raadsvoorstel_later"] = (args, kwargs)

        def __getattr__(self, name: str) -> Any:  # only for an attribute it does not have yet
            later = self.__dict__.pop("raadsvoorstel_later", None)
            if later is None:
                raise AttributeError(name)
            css_class.__init__(self, *later[0], **later[1])
            return getattr(self, name)

    return _LaterStylesheet


class _LaterFinder(importlib.abc.MetaPathFinder):
    """Finds ``weasyprint.html`` as usual and runs it with a ``CSS`` that leaves the form and hint stylesheets
    for later (:data:`LATER_STYLESHEETS`); afterwards the module's ``CSS`` is WeasyPrint's own again."""

    def __init__(self, texts: set[str], stored_ua: bool) -> None:
        self.texts = texts
        self.stored_ua = stored_ua

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name != "weasyprint.html":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        loader, texts, stored_ua = spec.loader, self.texts, self.stored_ua
        run = loader.exec_module

        def exec_module(module: types.ModuleType) -> None:
            package: Any = sys.modules["weasyprint"]
            real = package.CSS
            later = _make_later_stylesheet(real)

            def css(*args: Any, **kwargs: Any) -> Any:
                string = kwargs.get("string")
                if not args and string in texts and "@counter-style" not in string:
                    return later(*args, **kwargs)
                empty_register = set(kwargs) == {"string", "counter_style"} and not kwargs["counter_style"]
                if stored_ua and not args and empty_register and isinstance(string, str):
                    package.CSS = real  # the stored objects name WeasyPrint's own class
                    try:
                        stored = _stored_ua(string)
                    finally:
                        package.CSS = css
                    if stored is not None:
                        stylesheet, counter_style = stored
                        kwargs["counter_style"].update(counter_style)
                        return stylesheet
                return real(*args, **kwargs)

            package.CSS = css
            try:
                run(module)
            finally:
                package.CSS = real
                module.CSS = real  # type: ignore[attr-defined]  # weasyprint.html binds it

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


@contextlib.contextmanager
def _later_stylesheets() -> Iterator[None]:
    """While WeasyPrint is imported, its form and presentational-hint stylesheets are made as
    :class:`_LaterStylesheet` objects: parsed when first used, which the PDF writer never does. Afterwards the
    two functions that hand them out are checked (:func:`keep_later_stylesheets`); when they are not the
    measured ones, both are parsed at once: the plain result."""
    texts = set()
    for name in LATER_STYLESHEETS.values():
        path = _weasyprint_file("css", name)
        if "weasyprint" in sys.modules or path is None or not os.path.isfile(path):
            yield
            return
        with open(path, encoding="utf-8") as handle:
            texts.add(handle.read())
    finder = _LaterFinder(texts, _allowed("UA-stylesheet vooraf"))
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        if finder in sys.meta_path:
            sys.meta_path.remove(finder)
    html = sys.modules.get("weasyprint.html")
    if html is not None:
        keep_later_stylesheets(sys.modules["weasyprint"], html)


def keep_later_stylesheets(weasyprint: Any, html: Any) -> bool:
    """Whether the form and hint stylesheets stay unparsed until used: only when the functions that hand them
    out (``HTML._ua_stylesheets``, ``HTML._ph_stylesheets``) are the measured ones; otherwise they are parsed
    now (and False is returned)."""
    functions = {name: getattr(weasyprint.HTML, name.split(".")[1]) for name in LEVERS["stylesheets bij gebruik"][0]}
    if _allowed("stylesheets bij gebruik", functions):
        return True
    for name in LATER_STYLESHEETS:
        getattr(html, name).matcher  # noqa: B018  # reading an attribute parses a later stylesheet
    return False


#: WeasyPrint's user-agent stylesheet as parsed, stored (see :func:`dump_stylesheet`); made by ``python -m
#: tools.make_ua_stylesheet``, which prints the sums below.
UA_FILE = "weasyprint-ua.pickle"
#: The SHA-256 of the stylesheet text it was parsed from (WeasyPrint 70.0's ``css/html5_ua.css``).
UA_SOURCE_SHA256 = "04dd53f16888e5325d8bb8feb02462d99d03c8329da713b167b333a2ea4b91bc"
#: The SHA-256 of the stored file: any other file is not unpickled (the text is then parsed as always).
UA_FILE_SHA256 = "031035c4c2bf2b06815a2b5245cfc04c7bf88e8e11e11dcd1bedf83fef20643a"
#: The Python bytecode version (``importlib.util.MAGIC_NUMBER``) of the compiled selectors in the file.
UA_BYTECODE = "a70d0d0a"


def _selector_test(code: bytes) -> Callable[..., Any]:
    """A compiled selector again: cssselect2's ``lambda el: …`` from its code object, with the globals cssselect2
    gives it (``CompiledSelector``)."""
    import marshal

    from cssselect2 import compiler

    names = {"split_whitespace": compiler.split_whitespace, "ascii_lower": compiler.ascii_lower}
    names["urlparse"] = compiler.urlparse
    return types.FunctionType(marshal.loads(code), {**names, "__builtins__": __builtins__})


def dump_stylesheet(stylesheet: Any, counter_style: Any) -> bytes:
    """A parsed WeasyPrint stylesheet and its counter-style register, pickled; each compiled selector (a lambda
    cssselect2 made with ``eval``) as its code object."""
    import marshal

    class _Pickler(pickle.Pickler):
        def reducer_override(self, obj: Any) -> Any:
            if isinstance(obj, types.FunctionType) and obj.__code__.co_filename == "<string>":
                return _selector_test, (marshal.dumps(obj.__code__),)
            return NotImplemented

    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump((stylesheet, counter_style))
    return buffer.getvalue()


def _stored_ua(text: str) -> tuple[Any, Any] | None:
    """The stored user-agent stylesheet and its counter styles, when ``text`` is the one it was parsed from and
    the file is the one made for this code by this Python's bytecode version; else None."""
    if importlib.util.MAGIC_NUMBER.hex() != UA_BYTECODE:
        return None
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != UA_SOURCE_SHA256:
        return None
    try:
        data = (resources.files("generator") / "data" / UA_FILE).read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != UA_FILE_SHA256:
        return None
    try:
        stylesheet, counter_style = pickle.loads(data)  # the package's own file, checked above
    except Exception:  # a class it names has changed after all: parse as always
        return None
    return stylesheet, counter_style


def _weasyprint_file(*parts: str) -> str | None:
    """The path of a file inside the installed WeasyPrint package, found without importing it."""
    spec = importlib.util.find_spec("weasyprint")
    locations = list(spec.submodule_search_locations or ()) if spec is not None else []
    return os.path.join(locations[0], *parts) if locations else None


# --- fontTools' subsetter and instancer, imported when first used ------------------------------------------

#: What WeasyPrint's PDF font module imports from fontTools only to use in rare cases: the subsetter (a font
#: HarfBuzz cannot subset: without libharfbuzz-subset) and the variable-font instancer (a variable font).
#: Importing them costs 34 ms of processor time, an eighth of what the forkserver imports for a PDF batch.
DEFERRED_MODULES = ("fontTools.subset", "fontTools.varLib.instancer")


def _instantiate_variable_font(*args: Any, **kwargs: Any) -> Any:
    """fontTools' ``instantiateVariableFont``, imported on the first call."""
    from fontTools.varLib.instancer import instantiateVariableFont

    return instantiateVariableFont(*args, **kwargs)


def _subset_attribute(name: str) -> Any:
    """An attribute of fontTools' subsetter (``subset.Subsetter``), the module imported on first use."""
    return getattr(importlib.import_module(DEFERRED_MODULES[0]), name)


@contextlib.contextmanager
def _deferred_font_tools() -> Iterator[None]:
    """While WeasyPrint is imported, fontTools' subsetter and instancer are stand-ins that import the real
    module when first used: a module whose attributes come from the real one, and a function.

    WeasyPrint's ``weasyprint.pdf.fonts`` binds ``subset`` (a module it uses as ``subset.Subsetter``) and
    ``instantiateVariableFont`` at import and uses them only inside ``Font._fonttools_subset`` and
    ``Font.clean`` (the guarded targets). The stand-ins leave ``sys.modules`` when the import is done, so any
    later import of those modules gets the real ones. (``importlib.util.LazyLoader`` does not help here: the
    import statement itself reads the module's ``__spec__``, which loads it.) When a target changed, the real
    objects are put in at once: the plain result."""
    if any(name in sys.modules for name in ("weasyprint.pdf.fonts", *DEFERRED_MODULES)):
        yield
        return
    subset = types.ModuleType(DEFERRED_MODULES[0])
    subset.__getattr__ = _subset_attribute  # type: ignore[method-assign]
    instancer = types.ModuleType(DEFERRED_MODULES[1])
    instancer.instantiateVariableFont = _instantiate_variable_font  # type: ignore[attr-defined]
    stand_ins = {DEFERRED_MODULES[0]: subset, DEFERRED_MODULES[1]: instancer}
    sys.modules.update(stand_ins)
    try:
        yield
    finally:
        for name, stand_in in stand_ins.items():
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]
    fonts = sys.modules.get("weasyprint.pdf.fonts")
    if fonts is not None:
        keep_stand_ins(fonts)


def keep_stand_ins(fonts: Any) -> bool:
    """Whether ``fonts`` (``weasyprint.pdf.fonts``) keeps the stand-ins: only when the functions that use them
    are the measured ones; otherwise the real module and function are put in (and False is returned)."""
    functions = {"Font.clean": fonts.Font.clean, "Font._fonttools_subset": fonts.Font._fonttools_subset}
    if not _allowed("fontTools bij gebruik", functions):  # the plain objects (the tests fail)
        fonts.subset = importlib.import_module(DEFERRED_MODULES[0])
        fonts.instantiateVariableFont = importlib.import_module(DEFERRED_MODULES[1]).instantiateVariableFont
        return False
    return True


# --- first-line splitting, remembered across the documents of one dossier ----------------------------------

#: Every property of a text's style that WeasyPrint's ``split_first_line`` (and the Pango layout it makes)
#: reads; ``tests/test_pdf_speed.py`` records the reads of a real render and fails when one is missing here.
STYLE_KEYS = (
    "direction",
    "font_family",
    "font_feature_settings",
    "font_kerning",
    "font_language_override",
    "font_size",
    "font_stretch",
    "font_style",
    "font_variant_alternates",
    "font_variant_caps",
    "font_variant_east_asian",
    "font_variant_ligatures",
    "font_variant_numeric",
    "font_variant_position",
    "font_variation_settings",
    "font_weight",
    "hyphenate_character",
    "hyphenate_limit_chars",
    "hyphenate_limit_zone",
    "hyphens",
    "lang",
    "letter_spacing",
    "line_height",
    "overflow_wrap",
    "tab_size",
    "text_decoration_line",
    "white_space",
    "word_break",
    "word_spacing",
)

#: Layouts kept per dossier at most (a dossier of 7 municipalities keeps about 6,000; each ~0.5 KB).
MAX_REMEMBERED = 50_000

_remembered: dict[tuple[Any, ...], tuple[Any, ...]] = {}
_remembered_for: list[str] = []
_style_keys: dict[int, tuple[Any, tuple[Any, ...]]] = {}  # id(style) → (style, key), for one render
_active: ContextVar[bool] = ContextVar("raadsvoorstel_split_cache", default=False)
_refused: list[Callable[..., Any]] = []  # a split_first_line that failed its check (asked once per process)


def _frozen(value: Any) -> Any:
    """``value`` as a hashable key part (WeasyPrint keeps a few computed values as lists or sets)."""
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, set | frozenset):
        return frozenset(_frozen(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((key, _frozen(item)) for key, item in value.items()))
    return value


def _style_key(style: Any) -> tuple[Any, ...]:
    """The parts of ``style`` a line split depends on, worked out once per style object and render.

    WeasyPrint computes most style properties lazily, and one text style serves many text boxes: looking up
    all of :data:`STYLE_KEYS` for every call cost more than a tenth of the lever's saving. The style object is
    kept with its key, so its ``id`` cannot be reused by another object before :func:`remembering_lines` ends.
    """
    found = _style_keys.get(id(style))
    if found is not None:
        return found[1]
    key = (id(style.font_config), *(_frozen(style[name]) for name in STYLE_KEYS))
    _style_keys[id(style)] = (style, key)
    return key


def _remembering(original: Callable[..., Any]) -> Callable[..., Any]:
    """``split_first_line`` that answers a call it has seen in this dossier from memory.

    The answer is a function of the text, the style properties in :data:`STYLE_KEYS`, the available width,
    the justification and the two flags (the fonts and hyphenation dictionaries are the process's own): the
    same call gives the same line, width, height and baseline. The Pango layout in the answer is already
    deactivated by WeasyPrint (it keeps only its text and widths, and is rebuilt from the text box's own style
    when drawn); each caller gets a copy, so drawing one box never touches another's.
    """

    def split_first_line(
        text: str,
        style: Any,
        context: Any,
        max_width: Any,
        justification_spacing: Any,
        is_line_start: bool = True,
        minimum: bool = False,
    ) -> Any:
        if not _active.get():
            return original(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        key = (text, max_width, justification_spacing, is_line_start, minimum, _style_key(style))
        found = _remembered.get(key)
        if found is None:
            found = original(text, style, context, max_width, justification_spacing, is_line_start, minimum)
            if len(_remembered) < MAX_REMEMBERED:
                _remembered[key] = found
        layout, *rest = found
        return (copy.copy(layout), *rest)

    split_first_line.raadsvoorstel_original = original  # type: ignore[attr-defined]
    return split_first_line


def _install_split_cache() -> None:
    """Put the remembering ``split_first_line`` where WeasyPrint's layout calls it (inline and preferred
    widths; ``preferred`` imports it from ``inline`` inside a function, so both globals are replaced)."""
    import weasyprint.layout.inline as inline
    import weasyprint.layout.preferred as preferred

    current = inline.split_first_line
    if hasattr(current, "raadsvoorstel_original") or _refused:
        return
    if not _allowed("regelgeheugen", {"split_first_line": current}):  # the plain path (the tests fail)
        _refused.append(current)
        return
    remembering = _remembering(current)
    inline.split_first_line = remembering
    preferred.split_first_line = remembering


@contextlib.contextmanager
def remembering_lines(dossier: str) -> Iterator[None]:
    """Within this block, renders in this thread reuse the line splits of earlier documents of ``dossier``;
    a new dossier starts with an empty memory (a dossier's municipalities share most of their text)."""
    if pure():
        yield
        return
    _install_split_cache()
    _install_sized_arrays()
    _install_drawn_lines()
    if _remembered_for != [dossier]:
        _remembered.clear()
        _drawn.clear()
        _remembered_for[:] = [dossier]
    token = _active.set(True)
    try:
        yield
    finally:
        _active.reset(token)
        _style_keys.clear()



# --- drawn lines remembered across the documents of one dossier ---------------------------------------------

#: What a drawn line does to its page's stream, in order (see :class:`_Recorder`).
_COLOR, _BEGIN, _MATRIX, _FONT, _SIZE, _TEXT, _RISE, _END = range(8)

#: Per line (its texts, its justification and its style key): the stream calls it makes, or None for a line
#: that cannot be replayed (a missing glyph, an emoji or bitmap font, anything but plain text drawing).
_drawn: dict[tuple[Any, ...], tuple[tuple[Any, ...], ...] | None] = {}
_refused_drawing: list[Callable[..., Any]] = []  # a target that failed its check (asked once per process)


class _GlyphTexts(dict[int, str]):
    """A font's ``to_unicode`` as ``draw_first_line`` sees it while a line is recorded.

    Every glyph looks new to the line, so WeasyPrint works out the line's text of each one and it is kept
    here; the document's own map gets it only where it had none, exactly as WeasyPrint writes it."""

    def __init__(self, real: dict[int, str]) -> None:
        super().__init__()
        self.real = real

    def __setitem__(self, glyph: int, text: str) -> None:
        super().__setitem__(glyph, text)
        self.real.setdefault(glyph, text)


class _GlyphWidths(dict[int, int]):
    """A font's ``widths`` while a line is recorded: the document's own map answers and takes what is added
    (so the line is drawn exactly as without the memory), and every width the line reads or adds is kept."""

    def __init__(self, real: dict[int, int]) -> None:
        super().__init__()
        self.real = real

    def __contains__(self, glyph: object) -> bool:
        return glyph in self.real

    def __getitem__(self, glyph: int) -> int:
        width = self.real[glyph]
        super().__setitem__(glyph, width)
        return width

    def __setitem__(self, glyph: int, width: int) -> None:
        self.real[glyph] = width
        super().__setitem__(glyph, width)


class _FontView:
    """WeasyPrint's ``Font`` while a line is recorded: its own in everything but the two glyph maps."""

    def __init__(self, font: Any) -> None:
        self.raadsvoorstel_font = font
        self.to_unicode = _GlyphTexts(font.to_unicode)
        self.widths = _GlyphWidths(font.widths)
        # Emoji and bitmap fonts draw images or scale differently: those lines are always drawn the plain way.
        self.replayable = not (font.bitmap or font.png or font.svg or font.colr)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raadsvoorstel_font, name)

    def get_unused_glyph_id(self, codepoint: int) -> int:
        """A glyph missing from the font: its stand-in depends on the document's earlier lines."""
        self.replayable = False
        return int(self.raadsvoorstel_font.get_unused_glyph_id(codepoint))


class _Recorder:
    """A page's stream as WeasyPrint's ``draw_text`` sees it when it draws a line for the first time in this
    dossier: every call goes on to the real stream, and the calls are written down for the next document."""

    def __init__(self, stream: Any) -> None:
        self.raadsvoorstel_stream = stream
        self.calls: list[tuple[Any, ...]] = []
        self.fonts: list[tuple[int, _FontView]] = []
        self.replayable = True

    def __getattr__(self, name: str) -> Any:  # a call this recorder does not know: the line is not replayed
        self.replayable = False
        return getattr(self.raadsvoorstel_stream, name)

    @property
    def ink_rect(self) -> Any:  # Pango writes glyph extents here
        return self.raadsvoorstel_stream.ink_rect

    @property
    def logical_rect(self) -> Any:
        return self.raadsvoorstel_stream.logical_rect

    def set_color(self, color: Any, stroke: bool = False) -> None:
        self.replayable = self.replayable and not stroke
        self.calls.append((_COLOR,))
        self.raadsvoorstel_stream.set_color(color, stroke)

    def begin_text(self) -> None:
        self.calls.append((_BEGIN,))
        self.raadsvoorstel_stream.begin_text()

    def end_text(self) -> None:
        self.calls.append((_END,))
        self.raadsvoorstel_stream.end_text()

    def set_text_matrix(self, *values: Any) -> None:
        self.calls.append((_MATRIX,))  # the box's own position, filled in when replayed
        self.raadsvoorstel_stream.set_text_matrix(*values)

    def add_font(self, pango_font: Any) -> tuple[_FontView, Any]:
        from weasyprint.text.fonts import get_pango_font_key

        font, size = self.raadsvoorstel_stream.add_font(pango_font)
        view = _FontView(font)
        self.calls.append((_FONT, len(self.fonts)))
        self.fonts.append((get_pango_font_key(pango_font)[0], view))
        return view, size

    def set_font_size(self, font: str, size: Any) -> None:
        self.calls.append((_SIZE, font, size))
        self.raadsvoorstel_stream.set_font_size(font, size)

    def show_text(self, text: str) -> None:
        self.calls.append((_TEXT, text))
        self.raadsvoorstel_stream.show_text(text)

    def set_text_rise(self, height: Any) -> None:
        self.calls.append((_RISE, height))
        self.raadsvoorstel_stream.set_text_rise(height)

    def recording(self) -> tuple[tuple[Any, ...], ...] | None:
        """The calls, each font with the glyph widths and texts the line gives it; None when not replayable."""
        if not self.replayable or not all(view.replayable for _key, view in self.fonts):
            return None
        calls: list[tuple[Any, ...]] = []
        for call in self.calls:
            if call[0] == _FONT:
                key, view = self.fonts[call[1]]
                calls.append((_FONT, key, tuple(dict.items(view.widths)), tuple(dict.items(view.to_unicode))))
            else:
                calls.append(call)
        return tuple(calls)


def _replay(stream: Any, textbox: Any, calls: tuple[tuple[Any, ...], ...]) -> bool:
    """Draw ``textbox`` from a recording; False (nothing drawn) when a font of the line is not yet in this
    document: the plain drawing then adds it, in the order WeasyPrint would."""
    from weasyprint.matrix import Matrix

    fonts = stream._fonts
    if any(call[0] == _FONT and call[1] not in fonts for call in calls):
        return False
    for call in calls:
        kind = call[0]
        if kind == _TEXT:
            stream.show_text(call[1])
        elif kind == _FONT:
            font = fonts[call[1]]
            widths, texts = font.widths, font.to_unicode
            for glyph, width in call[2]:
                widths.setdefault(glyph, width)
            for glyph, text in call[3]:
                texts.setdefault(glyph, text)
        elif kind == _SIZE:
            stream.set_font_size(call[1], call[2])
        elif kind == _MATRIX:
            stream.set_text_matrix(*Matrix(d=-1, e=textbox.position_x, f=textbox.position_y + textbox.baseline).values)
        elif kind == _COLOR:
            stream.set_color(textbox.style["color"])
        elif kind == _BEGIN:
            stream.begin_text()
        elif kind == _END:
            stream.end_text()
        else:
            stream.set_text_rise(call[1])
    return True


def _drawing(original: Callable[..., Any]) -> Callable[..., Any]:
    """``draw_text`` that draws a line it has drawn before in this dossier from its recording.

    A line of plain text (no decoration, no ellipsis, visible) puts on the page: its colour, a text object at
    its own position, and per run of glyphs a font, a size and a string of glyph numbers and kerning. All of
    it but the position and the colour is a function of the line's text, its justification and the style
    properties in :data:`STYLE_KEYS` (the font setup and shaping read no others; a test records the reads),
    as for a line split. Replaying skips rebuilding the Pango layout and walking its glyphs in Python, the
    most expensive part of drawing. The fonts' glyph widths and texts (for the subsets and for copying text
    out of the PDF) are given to the document's fonts as WeasyPrint would give them.
    """

    def draw_text(stream: Any, textbox: Any, offset_x: Any, text_overflow: Any, block_ellipsis: Any) -> Any:
        style = textbox.style
        if (
            not _active.get()
            or text_overflow == "ellipsis"
            or block_ellipsis != "none"
            or style["visibility"] != "visible"
            or style["text_decoration_line"] != "none"
        ):
            return original(stream, textbox, offset_x, text_overflow, block_ellipsis)
        layout = textbox.pango_layout
        key = (textbox.text, layout.text, layout.justification_spacing, _style_key(style))
        if key in _drawn:
            calls = _drawn[key]
            if calls is not None and _replay(stream, textbox, calls):
                return None
            return original(stream, textbox, offset_x, text_overflow, block_ellipsis)
        recorder = _Recorder(stream)
        original(recorder, textbox, offset_x, text_overflow, block_ellipsis)
        if len(_drawn) < MAX_REMEMBERED:
            _drawn[key] = recorder.recording()
        return None

    draw_text.raadsvoorstel_original = original  # type: ignore[attr-defined]
    return draw_text


def _install_drawn_lines() -> None:
    """Put the remembering ``draw_text`` where WeasyPrint draws inline boxes, when the functions it relies on
    are the measured ones."""
    import weasyprint.draw as draw
    import weasyprint.draw.text as text
    import weasyprint.pdf.stream as stream

    current = draw.draw_text
    if hasattr(current, "raadsvoorstel_original") or _refused_drawing:
        return
    functions: dict[str, Callable[..., Any] | None] = {
        "draw_text": current,
        "draw_first_line": text.draw_first_line,
        "Stream.add_font": stream.Stream.add_font,
        "Stream.set_font_size": stream.Stream.set_font_size,
    }
    if not _allowed("getekende regels", functions):  # the plain path (the tests fail)
        _refused_drawing.append(current)
        return
    draw.draw_text = _drawing(current)


# --- glyph arrays for font subsetting, without parsing C ----------------------------------------------------

_SIZED_GLYPHS = re.compile(r"hb_codepoint_t\[(\d+)\]")
_refused_arrays: list[Callable[..., Any]] = []  # a target that failed its check (asked once per process)


class SizedArrays:
    """WeasyPrint's ``ffi`` as ``weasyprint.pdf.fonts`` sees it: ``new("hb_codepoint_t[N]", items)`` with exactly
    N items becomes ``new("hb_codepoint_t[]", items)``, whose type cffi parsed once; everything else is the
    real ``ffi``'s own (attributes are looked up on it)."""

    def __init__(self, ffi: Any) -> None:
        self.raadsvoorstel_ffi = ffi

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raadsvoorstel_ffi, name)

    def new(self, cdecl: Any, init: Any = None) -> Any:
        sized = _SIZED_GLYPHS.fullmatch(cdecl) if isinstance(cdecl, str) else None
        if sized is not None and isinstance(init, list | tuple) and len(init) == int(sized[1]):
            return self.raadsvoorstel_ffi.new("hb_codepoint_t[]", init)
        return self.raadsvoorstel_ffi.new(cdecl, init)


def _install_sized_arrays() -> None:
    """Give ``weasyprint.pdf.fonts`` a :class:`SizedArrays` around its ``ffi``, when the functions it relies on
    are the measured ones."""
    import cffi.api
    import weasyprint.pdf.fonts as fonts

    if isinstance(fonts.ffi, SizedArrays) or _refused_arrays:
        return
    functions = {"Font._harfbuzz_subset": fonts.Font._harfbuzz_subset, "FFI.new": cffi.api.FFI.new}
    if not _allowed("glyph-arrays", functions):  # the plain path (the tests fail)
        _refused_arrays.append(fonts.Font._harfbuzz_subset)
        return
    fonts.ffi = SizedArrays(fonts.ffi)


_expat_verdict: list[bool] = []  # whether pdf_expat may build the tree (asked once per process)


def expat_allowed() -> bool:
    """Whether ``pdf_expat`` may hand WeasyPrint its own tree: not pure, and ``HTML.__init__`` and tinyhtml5's
    ``parse`` (whose result it reproduces) are as measured, with the tested tinyhtml5. Checked once per process."""
    if pure():
        return False
    if not _expat_verdict:
        _expat_verdict.append(_allowed("expat-parser"))
    return _expat_verdict[0]


def prepare() -> None:
    """Check the levers of a render and put them in now, as the first render would: in a batch's forkserver,
    before it forks, so each worker inherits them instead of checking the fingerprints in its first document."""
    if pure():
        return
    _install_split_cache()
    _install_sized_arrays()
    _install_drawn_lines()
    expat_allowed()


def fonts_may_change(stylesheet: str) -> None:
    """Call with each stylesheet's text before WeasyPrint parses it: an ``@font-face`` adds a font to the
    process's one font configuration, which can change how a remembered text breaks, so the memory is emptied.
    (Without one, the fonts are the system's and stay the same for the whole process.)"""
    if "@font-face" in stylesheet.lower():
        forget_lines()


def remembered() -> int:
    """How many line splits are remembered now (for tests and the benchmark)."""
    return len(_remembered)


def drawn() -> int:
    """How many drawn lines are remembered now, replayable or not (for tests)."""
    return len(_drawn)


def forget_lines() -> None:
    """Drop every remembered line split and drawn line (a worker that moves on, a test)."""
    _remembered.clear()
    _drawn.clear()
    _remembered_for.clear()


load_weasyprint()  # on import: the PDF writer imports this module before anything imports WeasyPrint
