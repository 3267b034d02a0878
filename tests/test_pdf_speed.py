"""The speed levers of ``generator.writers.pdf.speed``: the same bytes with and without them, and guards that
fail loudly when a library function a lever relies on changes.

Both paths run in fresh processes (a lever that acts while WeasyPrint loads can only be compared that way):
one as released (``RAADSVOORSTEL_PURE=1``) writes the PDF of every example document — raadsvoorstel and
raadsbesluit of all municipalities — and of the clerk's test dossier; with the levers, the example documents
are the session's example build (``raadsvoorstel build`` in a fresh process, as a user runs it) and a second
fresh process writes the clerk's test dossier.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from generator.writers.pdf import speed as pdf_speed
from tests.conftest import ROOT, untraced

#: Renders every example document and the clerk's test dossier to PDF in this process and prints, as JSON,
#: the SHA-256 of each PDF, whether ``ctypes.util.find_library`` ran, the WeasyPrint libraries mapped, and the
#: fixed-length glyph array types cffi parsed.
RENDER_ALL = r"""
import ctypes.util, hashlib, json, sys
calls = []
original = ctypes.util.find_library
def counting(name):
    calls.append(name)
    return original(name)
ctypes.util.find_library = counting
from pathlib import Path
from generator.api import loaded_dossier, render, templates_for
digests = {}
for folder in sys.argv[1:]:
    dossier = Path(folder)
    templates = templates_for(dossier)
    for slug, found in loaded_dossier(dossier).sets.items():
        for kind in ("raadsvoorstel", "raadsbesluit"):
            doc = found.get(kind)
            if doc is not None:
                digests[f"{dossier.name}/{kind}-{slug}"] = hashlib.sha256(render(doc, "pdf", templates)).hexdigest()
libraries = sorted({line.split()[-1] for line in open("/proc/self/maps") if ".so" in line})
from weasyprint.text.ffi import ffi
import re
sized = sorted(key for key in ffi._parsed_types if re.fullmatch(r"hb_codepoint_t\[\d+\]", str(key)))
print(json.dumps({"digests": digests, "find_library": len(calls), "libraries": libraries, "sized": sized}))
"""

EXAMPLES = ROOT / "proposals" / "impuls-sociale-infrastructuur"
CONSTRUCTS = ROOT / "tests" / "data" / "alle-bouwstenen" / "proposals" / "elke-bouwsteen"


def _environment(pure: bool) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != pdf_speed.PURE_VARIABLE}
    if pure:
        env[pdf_speed.PURE_VARIABLE] = "1"
    return env


def _python(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``script`` in a fresh Python with the levers on."""
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env=_environment(pure=False),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.fixture(scope="module")
def both_paths(examples_built: Path) -> dict[str, dict[str, Any]]:
    """The two renders, run side by side (one per core); the levers' example PDFs come from the session build."""
    folders = {"pure": [EXAMPLES, CONSTRUCTS], "levers": [CONSTRUCTS]}
    runs = {
        name: subprocess.Popen(
            [sys.executable, "-c", RENDER_ALL, *map(str, folders[name])],
            cwd=ROOT,
            env=untraced(_environment(pure=name == "pure")),  # both alike: coverage maps libraries of its own
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("pure", "levers")
    }
    results = {}
    for name, process in runs.items():
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, err
        results[name] = json.loads(out.splitlines()[-1])
    for pdf in sorted(examples_built.glob("*/*.pdf")):
        kind, slug = pdf.stem.split("-", 1)[0], pdf.parent.name
        results["levers"]["digests"][f"{EXAMPLES.name}/{kind}-{slug}"] = hashlib.sha256(pdf.read_bytes()).hexdigest()
    return results


def test_every_example_document_has_the_same_bytes_with_and_without_the_levers(
    both_paths: dict[str, dict[str, Any]],
) -> None:
    pure, levers = both_paths["pure"]["digests"], both_paths["levers"]["digests"]
    examples = [name for name in pure if name.startswith(EXAMPLES.name + "/")]
    assert len([name for name in examples if "/raadsvoorstel-" in name]) == 7
    assert len([name for name in examples if "/raadsbesluit-" in name]) == 7
    assert any(name.startswith(CONSTRUCTS.name + "/") for name in pure)
    assert len(pure) >= 16
    assert levers == pure


def test_the_library_lever_skips_find_library_and_loads_the_same_files(
    both_paths: dict[str, dict[str, Any]],
) -> None:
    pure, levers = both_paths["pure"], both_paths["levers"]
    assert pure["find_library"] > 0, "the plain path asks find_library (ldconfig, gcc) for WeasyPrint's libraries"
    assert levers["find_library"] == 0
    assert any("libpango" in path for path in levers["libraries"])
    system = [[path for path in run["libraries"] if "/site-packages/" not in path] for run in (levers, pure)]
    assert system[0] == system[1]  # the same C libraries, from the same files
    # Python's own extension modules: fewer with the levers (fontTools' subsetter is imported when first used)
    assert set(levers["libraries"]) <= set(pure["libraries"])


def test_font_subsetting_parses_no_glyph_array_type_per_length(both_paths: dict[str, dict[str, Any]]) -> None:
    pure, levers = both_paths["pure"]["sized"], both_paths["levers"]["sized"]
    assert len(pure) > 10, "as released, cffi parses hb_codepoint_t[N] anew for nearly every glyph count N"
    assert levers == []


def test_sized_arrays_hold_the_same_items_and_leave_every_other_request_alone() -> None:
    from weasyprint.text.ffi import ffi

    arrays = pdf_speed.SizedArrays(ffi)
    items = [3, 1, 2**32 - 1]
    fast, plain = arrays.new("hb_codepoint_t[3]", items), ffi.new("hb_codepoint_t[3]", items)
    assert list(fast) == list(plain) == items
    assert ffi.sizeof(fast) == ffi.sizeof(plain)
    assert ffi.typeof(fast) is ffi.typeof("hb_codepoint_t[]")
    longer = arrays.new("hb_codepoint_t[5]", items)  # not exactly its initialiser's length: as asked
    assert ffi.typeof(longer) is ffi.typeof("hb_codepoint_t[5]")
    assert list(longer) == [*items, 0, 0]
    assert ffi.typeof(arrays.new("unsigned int *", 7)) is ffi.typeof("unsigned int *")
    assert arrays.NULL == ffi.NULL


@pytest.mark.parametrize("name", sorted(pdf_speed.TARGETS))
def test_each_patched_function_is_the_one_the_lever_was_measured_against(name: str) -> None:
    target = pdf_speed.TARGETS[name]
    function = target.resolve()
    # A PDF written earlier in this process put the lever in: check the function it wraps, as the writer does
    # (without this, the test failed whenever a PDF test ran before it in the same worker).
    pdf_speed.check(getattr(function, "raadsvoorstel_original", function), target)


def _changed_dlopen(ffi, *names, allow_fail=False):  # type: ignore[no-untyped-def]  # the target's own signature
    """Stands in for a new release's ``_dlopen``: same signature, different body."""
    return ffi.dlopen(names[-1])


def _resigned_dlopen(ffi, *names, allow_fail=False, flags=0):  # type: ignore[no-untyped-def]
    """Stands in for a new release's ``_dlopen`` that takes one more argument."""
    return ffi.dlopen(names[-1], flags)


@pytest.mark.parametrize(
    ("fake", "message"),
    [(_changed_dlopen, "source changed"), (_resigned_dlopen, "signature")],
)
def test_the_guard_fails_loudly_on_a_changed_function(fake: Callable[..., Any], message: str) -> None:
    target = pdf_speed.TARGETS["dlopen"]
    with pytest.raises(pdf_speed.TargetChanged, match=message) as caught:
        pdf_speed.check(fake, target)
    assert "weasyprint.text.ffi._dlopen" in str(caught.value)


def test_the_levers_are_on_only_with_the_pinned_weasyprint_and_without_the_pure_switch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(pdf_speed.PURE_VARIABLE, raising=False)
    assert not pdf_speed.pure()
    monkeypatch.setenv(pdf_speed.PURE_VARIABLE, "1")
    assert pdf_speed.pure()
    monkeypatch.setenv(pdf_speed.PURE_VARIABLE, "0")
    assert not pdf_speed.pure()
    monkeypatch.setattr(pdf_speed, "WEASYPRINT_PIN", "71.0")
    assert pdf_speed.pure()


#: A system where the direct library names do not open: cffi fails whenever find_library cannot answer. (The
#: caller of ``_load_backend_lib`` is replaced: the lever checks that function itself before it acts.)
NO_DIRECT_NAMES = r"""
import cffi.api, ctypes.util
original = cffi.api._make_ffi_library
def load(ffi, name, flags):
    if ctypes.util.find_library("c") is None:
        raise OSError(f"cannot open {name}")
    return original(ffi, name, flags)
cffi.api._make_ffi_library = load
import generator.writers.pdf.speed
import weasyprint.text.ffi
print("geladen", weasyprint.text.ffi.pango is not None)
"""


def test_weasyprint_loads_the_plain_way_when_the_direct_names_fail() -> None:
    result = _python(NO_DIRECT_NAMES)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "geladen True\n"  # WeasyPrint's installation hint from the failed attempt is not shown


def test_the_section_anchor_on_the_heading_gives_the_same_pdf_as_on_the_section(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The id moved from <section> to its <h2> (cheaper to lay out): a link target, no change on paper."""
    from generator.api import documents, render, templates_for
    from generator.writers import pdf as pdf_writer
    from generator.writers.html import render_page

    templates = templates_for(EXAMPLES)
    doc = next(iter(documents(EXAMPLES).values()))
    on_heading = render(doc, "pdf", templates)
    real = render_page

    def on_section(*args: Any, **kwargs: Any) -> str:
        page = real(*args, **kwargs)
        before, after = r'<section class="sectie">\n<h2 id="(sectie-[^"]+)">', r'<section class="sectie" id="\1">\n<h2>'
        moved, count = re.subn(before, after, page)
        assert count == len(doc.sections)
        return moved

    monkeypatch.setattr(pdf_writer, "render_page", on_section)
    assert render(doc, "pdf", templates) == on_heading


def _style_reads(monkeypatch: pytest.MonkeyPatch, install: Callable[[list[bool]], None]) -> set[str]:
    """The style properties WeasyPrint reads while ``watching[0]`` is set, in a plain render of every construct;
    ``install`` puts in the function that sets it around the call it watches."""
    import weasyprint.css

    from generator.api import documents, render, templates_for

    watching = [False]
    read: set[str] = set()
    plain_getitem = weasyprint.css.Style.__getitem__

    def recording_getitem(self: Any, key: str) -> Any:
        if watching[0]:
            read.add(key)
        return plain_getitem(self, key)

    monkeypatch.setenv(pdf_speed.PURE_VARIABLE, "1")  # the memories stay out of the way
    monkeypatch.setattr(weasyprint.css.Style, "__getitem__", recording_getitem)
    install(watching)
    for doc in documents(CONSTRUCTS).values():
        render(doc, "pdf", templates_for(CONSTRUCTS))
    return read


def test_the_remembered_line_splits_depend_on_no_style_property_outside_the_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every style property WeasyPrint's split_first_line reads in a real render is part of the memory's key:
    a property read but not keyed would let two different texts share an answer."""
    import weasyprint.layout.inline as inline
    import weasyprint.layout.preferred as preferred

    original = getattr(inline.split_first_line, "raadsvoorstel_original", inline.split_first_line)

    def install(watching: list[bool]) -> None:
        def recording_split(*args: Any, **kwargs: Any) -> Any:
            watching[0] = True
            try:
                return original(*args, **kwargs)
            finally:
                watching[0] = False

        monkeypatch.setattr(inline, "split_first_line", recording_split)
        monkeypatch.setattr(preferred, "split_first_line", recording_split)

    read = _style_reads(monkeypatch, install)
    assert {"font_family", "font_size", "white_space"} <= read
    assert read <= set(pdf_speed.STYLE_KEYS), f"not in STYLE_KEYS: {sorted(read - set(pdf_speed.STYLE_KEYS))}"


def test_line_splits_are_remembered_within_a_dossier_and_forgotten_for_the_next() -> None:
    from dataclasses import replace

    from generator.api import documents, render, templates_for

    templates = templates_for(EXAMPLES)
    first, second = list(documents(EXAMPLES).values())[:2]
    pdf_speed.forget_lines()
    alone = render(second, "pdf", templates)  # nothing remembered yet
    pdf_speed.forget_lines()
    render(first, "pdf", templates)
    after_first = pdf_speed.remembered()
    assert after_first > 100
    assert render(second, "pdf", templates) == alone  # mostly answered from memory: the same bytes
    assert after_first < pdf_speed.remembered() < 1.5 * after_first
    render(replace(first, dossier="een-ander-dossier"), "pdf", templates)
    assert pdf_speed.remembered() == after_first  # emptied for the other dossier, then filled by its document
    pdf_speed.forget_lines()
    assert pdf_speed.remembered() == 0


def test_a_stylesheet_with_a_font_face_empties_the_memory() -> None:
    from generator.api import documents, render, templates_for

    render(next(iter(documents(EXAMPLES).values())), "pdf", templates_for(EXAMPLES))
    assert pdf_speed.remembered() > 0
    pdf_speed.fonts_may_change(".kop { color: navy }")
    assert pdf_speed.remembered() > 0
    pdf_speed.fonts_may_change("@FONT-FACE { font-family: Huisletter; src: url(huisletter.woff2) }")
    assert pdf_speed.remembered() == 0


def test_workers_keep_to_their_own_dossiers(proposals: Path, tmp_path: Path) -> None:
    """Each worker works through a dossier of its own (its line memory stays useful): handed out in plan order
    to whichever worker is free, as before, every worker would touch every dossier."""
    from generator.batch import run_batch
    from tests.conftest import DOSSIER

    for number in (2, 3):
        target = proposals / f"{DOSSIER}-{number}"
        shutil.copytree(proposals / DOSSIER, target)
        text = (target / "voorstel.yaml").read_text(encoding="utf-8")
        (target / "voorstel.yaml").write_text(text.replace("onderwerp: ", f"onderwerp: {number} ", 1), encoding="utf-8")
    summary = run_batch(proposals, tmp_path / "uit", ("docx",), jobs=2)
    assert summary.ok
    workers_of: dict[str, set[int]] = {}
    for job, result in summary.results:
        workers_of.setdefault(job.dossier, set()).add(result.pid)
    assert sorted(workers_of) == [DOSSIER, f"{DOSSIER}-2", f"{DOSSIER}-3"]
    assert len({pid for pids in workers_of.values() for pid in pids}) == 2
    # the first dossier starts on both (nothing else is ready yet), a later one may get help at the very end
    assert sum(len(pids) for pids in workers_of.values()) < 2 * 3
    assert any(len(pids) == 1 for pids in workers_of.values())


#: A WeasyPrint whose split_first_line is not the measured one: the memory must stay out, the PDF still comes.
CHANGED_TARGET = r"""
import dataclasses, sys
from pathlib import Path
from generator.writers.pdf import speed as pdf_speed
target = pdf_speed.TARGETS["split_first_line"]
pdf_speed.TARGETS["split_first_line"] = dataclasses.replace(target, source_sha256="0" * 64)
from generator.api import documents, render, templates_for
import weasyprint.layout.inline as inline
dossier = Path(sys.argv[1])
data = render(next(iter(documents(dossier).values())), "pdf", templates_for(dossier))
print(data[:5].decode(), hasattr(inline.split_first_line, "raadsvoorstel_original"), pdf_speed.remembered())
"""


def test_a_changed_target_leaves_the_memory_out_at_run_time() -> None:
    result = _python(CHANGED_TARGET, str(EXAMPLES))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["%PDF-", "False", "0"]


def test_a_changed_subsetting_function_leaves_the_glyph_arrays_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    import weasyprint.pdf.fonts as fonts

    real = fonts.ffi.raadsvoorstel_ffi if isinstance(fonts.ffi, pdf_speed.SizedArrays) else fonts.ffi
    target = pdf_speed.TARGETS["Font._harfbuzz_subset"]
    monkeypatch.setitem(pdf_speed.TARGETS, "Font._harfbuzz_subset", dataclasses.replace(target, source_sha256="0" * 64))
    monkeypatch.setattr(pdf_speed, "_refused_arrays", [])
    monkeypatch.setattr(fonts, "ffi", real)
    pdf_speed._install_sized_arrays()
    assert fonts.ffi is real
    monkeypatch.setitem(pdf_speed.TARGETS, "Font._harfbuzz_subset", target)
    monkeypatch.setattr(pdf_speed, "_refused_arrays", [])
    pdf_speed._install_sized_arrays()
    assert isinstance(fonts.ffi, pdf_speed.SizedArrays)


def test_drawn_lines_are_replayed_within_a_dossier_with_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The second municipality's PDF, drawn mostly from the first one's recordings, is the PDF it gets alone."""
    from dataclasses import replace

    from generator.api import documents, render, templates_for

    templates = templates_for(EXAMPLES)
    first, second = list(documents(EXAMPLES).values())[:2]
    replayed = [0]
    real_replay = pdf_speed._replay

    def counting(stream: Any, textbox: Any, calls: tuple[tuple[Any, ...], ...]) -> bool:
        done = real_replay(stream, textbox, calls)
        replayed[0] += done
        return done

    pdf_speed.forget_lines()
    alone = render(second, "pdf", templates)
    pdf_speed.forget_lines()
    render(first, "pdf", templates)
    recorded = pdf_speed.drawn()
    assert recorded > 50
    monkeypatch.setattr(pdf_speed, "_replay", counting)
    assert render(second, "pdf", templates) == alone
    assert replayed[0] > recorded  # most of its lines (and repeated ones, like page footers) come from memory
    render(replace(first, dossier="een-ander-dossier"), "pdf", templates)
    assert pdf_speed.drawn() == recorded  # emptied for the other dossier, then filled by its document
    pdf_speed.forget_lines()
    assert pdf_speed.drawn() == 0


def test_drawn_lines_depend_on_no_style_property_outside_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """What WeasyPrint's draw_text reads of a text's style, in a real render of every construct: the line's
    key (STYLE_KEYS), the conditions for the memory, and the colour, which a replay reads itself."""
    import weasyprint.draw as draw

    original = getattr(draw.draw_text, "raadsvoorstel_original", draw.draw_text)

    def install(watching: list[bool]) -> None:
        def recording_draw(stream: Any, textbox: Any, offset_x: Any, text_overflow: Any, block_ellipsis: Any) -> Any:
            plain = textbox.style["text_decoration_line"] == "none" and text_overflow != "ellipsis"
            watching[0] = plain and block_ellipsis == "none"
            try:
                return original(stream, textbox, offset_x, text_overflow, block_ellipsis)
            finally:
                watching[0] = False

        monkeypatch.setattr(draw, "draw_text", recording_draw)

    read = _style_reads(monkeypatch, install)
    # The colour is read again by a replay (with color_scheme, which get_color reads); custom properties
    # ("--huiskleur", kept as "__huiskleur") are read only while another property is computed from them.
    handled = {"visibility", "text_decoration_line", "text_decoration_color", "color", "color_scheme"}
    assert {"font_family", "font_size", "color"} <= read
    unkeyed = {key for key in read - set(pdf_speed.STYLE_KEYS) - handled if not key.startswith("__")}
    assert not unkeyed, f"not keyed: {sorted(unkeyed)}"


def test_a_line_with_a_missing_glyph_or_an_unknown_stream_call_is_not_replayed() -> None:
    """A missing glyph's stand-in depends on the document's earlier lines; a stream call the recorder does not
    know cannot be replayed: such lines are drawn the plain way every time."""
    font = SimpleNamespace(
        to_unicode={}, widths={}, bitmap=False, png=False, svg=False, colr=False, get_unused_glyph_id=lambda cp: 7
    )
    stream = SimpleNamespace(add_font=lambda pango_font: (font, 10), show_text=lambda text: None, stacked=None)
    recorder = pdf_speed._Recorder(stream)
    recorder.show_text("<0001>")
    assert recorder.recording() == ((pdf_speed._TEXT, "<0001>"),)
    view = pdf_speed._FontView(font)
    view.widths[3] = 500  # as WeasyPrint adds a width: the document's own map gets it too
    assert font.widths == {3: 500} and view.widths[3] == 500
    view.to_unicode[3] = "a"
    view.to_unicode[4] = "b"
    font.to_unicode[4] = "x"  # already known to the document: kept
    assert view.get_unused_glyph_id(0xE000) == 7
    assert not view.replayable
    assert recorder.stacked is None  # an unknown call: passed on, and the line is not replayed
    assert recorder.recording() is None


def test_a_changed_drawing_function_leaves_the_drawing_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    import weasyprint.draw as draw

    current = draw.draw_text
    real = getattr(current, "raadsvoorstel_original", current)
    target = pdf_speed.TARGETS["Stream.add_font"]
    monkeypatch.setitem(pdf_speed.TARGETS, "Stream.add_font", dataclasses.replace(target, source_sha256="0" * 64))
    monkeypatch.setattr(pdf_speed, "_refused_drawing", [])
    monkeypatch.setattr(draw, "draw_text", real)
    pdf_speed._install_drawn_lines()
    assert draw.draw_text is real
    monkeypatch.setitem(pdf_speed.TARGETS, "Stream.add_font", target)
    monkeypatch.setattr(pdf_speed, "_refused_drawing", [])
    pdf_speed._install_drawn_lines()
    assert draw.draw_text.raadsvoorstel_original is real


#: Imports the PDF writer, renders an example document and reports which fontTools modules are loaded; then
#: uses both stand-ins and reports again.
DEFERRED_FONT_TOOLS = r"""
import sys
from pathlib import Path
from generator.api import documents, render, templates_for
dossier = Path(sys.argv[1])
data = render(next(iter(documents(dossier).values())), "pdf", templates_for(dossier))
names = ("fontTools.subset", "fontTools.varLib.instancer")
print(data[:5].decode(), *(name in sys.modules for name in names))
import weasyprint.pdf.fonts as fonts
options = fonts.subset.Options(layout_features=["*"])  # the real subsetter, imported now
try:
    fonts.instantiateVariableFont(None, {})  # the real instancer, imported now (and refusing no font)
except Exception as exc:
    print(type(exc).__name__)
real = sys.modules["fontTools.varLib.instancer"]
print(*(name in sys.modules for name in names), type(options).__module__, hasattr(real, "OverlapMode"))
"""


@pytest.mark.parametrize("pure", [False, True])
def test_font_tools_subsetter_and_instancer_are_imported_only_when_used(pure: bool) -> None:
    result = subprocess.run(
        [sys.executable, "-c", DEFERRED_FONT_TOOLS, str(EXAMPLES)],
        cwd=ROOT,
        env=_environment(pure=pure),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    rendered, error, used = result.stdout.splitlines()
    # With the lever a whole PDF needs neither module; as released both are imported with WeasyPrint.
    assert rendered.split() == ["%PDF-", str(pure), str(pure)]
    assert error in {"AttributeError", "TypeError"}
    assert used.split() == ["True", "True", "fontTools.subset", "True"]


def test_a_changed_font_function_gets_the_real_subsetter_and_instancer() -> None:
    import fontTools.subset
    import fontTools.varLib.instancer
    import weasyprint.pdf.fonts as fonts

    def clean(self, to_unicode, hinting):  # type: ignore[no-untyped-def]  # a new release's Font.clean
        return None

    fake = SimpleNamespace(
        Font=SimpleNamespace(clean=clean, _fonttools_subset=fonts.Font._fonttools_subset),
        subset=object(),
        instantiateVariableFont=object(),
    )
    assert not pdf_speed.keep_stand_ins(fake)
    assert fake.subset is fontTools.subset
    assert fake.instantiateVariableFont is fontTools.varLib.instancer.instantiateVariableFont
    assert pdf_speed.keep_stand_ins(fonts)  # the pinned release keeps whatever it has


# --- WeasyPrint's C declarations, parsed ahead of time -----------------------------------------------------

#: Imports the PDF writer (and with it WeasyPrint) and prints, as JSON, how many C texts pycparser parsed during
#: the import and what cffi made of WeasyPrint's declarations (every declaration's C type, every constant).
C_DECLARATIONS = r"""
import json
import pycparser.c_parser
texts = []
original = pycparser.c_parser.CParser.parse
def counting(self, text, *args, **kwargs):
    texts.append(len(text))
    return original(self, text, *args, **kwargs)
pycparser.c_parser.CParser.parse = counting
import generator.writers.pdf
from weasyprint.text.ffi import ffi, pango
parser = ffi._parser
declared = sorted((name, repr(tp), quals) for name, (tp, quals) in parser._declarations.items())
print(json.dumps({"parsed": texts, "declared": declared, "constants": sorted(parser._int_constants.items()),
                  "pango": pango.pango_version()}))
"""


def test_weasyprints_c_declarations_come_parsed_with_the_same_result() -> None:
    """With the lever, importing WeasyPrint runs no C parser, and cffi declares exactly what it declares as
    released (the same types, the same constants, the same library working)."""
    found = {}
    for pure in (False, True):
        result = subprocess.run(
            [sys.executable, "-c", C_DECLARATIONS],
            cwd=ROOT, env=_environment(pure=pure), capture_output=True, text=True, check=False, timeout=120,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        found[pure] = json.loads(result.stdout)
    assert found[False]["parsed"] == []
    assert len(found[True]["parsed"]) == 1  # as released: the 16 KB of declarations, parsed at every import
    assert len(found[False]["declared"]) > 200
    for key in ("declared", "constants", "pango"):
        assert found[False][key] == found[True][key]


def test_the_stored_declarations_are_what_pycparser_makes_of_the_installed_weasyprints() -> None:
    """``python -m tools.make_cffi_declarations`` wrote the stored tree from this WeasyPrint, cffi and
    pycparser: the same C text (its SHA-256), the same tree, the stored file the one the lever accepts."""
    import pickle

    from tools.make_cffi_declarations import TARGET, record

    csource, data = record()
    assert hashlib.sha256(csource.encode("utf-8")).hexdigest() == pdf_speed.CDEF_SOURCE_SHA256
    assert TARGET.name == pdf_speed.CDEF_FILE
    assert hashlib.sha256(TARGET.read_bytes()).hexdigest() == pdf_speed.CDEF_FILE_SHA256
    stored = pdf_speed._stored_tree()
    assert stored is not None
    assert pickle.dumps(stored) == pickle.dumps(pickle.loads(data))  # the same tree, compared in one process


def test_another_c_text_or_a_changed_file_is_parsed_as_always(monkeypatch: pytest.MonkeyPatch) -> None:
    import cffi

    monkeypatch.setattr(pdf_speed, "CDEF_FILE_SHA256", "0" * 64)
    assert pdf_speed._stored_tree() is None  # a file that is not the one made for this code is not unpickled
    monkeypatch.undo()
    with pdf_speed._stored_declarations():  # WeasyPrint is imported already: the lever is not put in again
        ffi = cffi.FFI()
        ffi.cdef("typedef unsigned int raadsvoorstel_t; int raadsvoorstel_f(raadsvoorstel_t);")
    assert "function raadsvoorstel_f" in ffi._parser._declarations


def test_a_class_fingerprint_reads_the_same_source_as_inspect() -> None:
    """The fingerprint of a top-level class (WeasyPrint's ``Layout``) is taken without parsing its module, from
    the same text ``inspect.getsource`` gives; anything else is read by inspect itself."""
    import inspect

    from weasyprint.text.line_break import Layout

    assert pdf_speed.source_text(Layout) == inspect.getsource(Layout)
    assert pdf_speed.source_text(pdf_speed.SizedArrays) == inspect.getsource(pdf_speed.SizedArrays)
    assert pdf_speed.source_text(pdf_speed.check) == inspect.getsource(pdf_speed.check)


# --- WeasyPrint's form and presentational-hint stylesheets, parsed when first used ------------------------

#: Renders one example PDF, then prints whether the form and hint stylesheets are still unparsed, whether
#: ``weasyprint.html`` has WeasyPrint's own ``CSS`` again, and, once read, their rules beside a plain parse.
LATER_STYLESHEETS = r"""
import json, sys
from pathlib import Path
from generator.api import documents, render, templates_for
dossier = Path(sys.argv[1])
data = render(next(iter(documents(dossier).values())), "pdf", templates_for(dossier))
import weasyprint, weasyprint.html as html
sheets = [weasyprint.UA_FORM_STYLESHEET, weasyprint.PH_STYLESHEET]
unparsed = [type(sheet).__name__ != "CSS" and "raadsvoorstel_later" in vars(sheet) for sheet in sheets]
def rules(sheet):
    m = sheet.matcher
    groups = [m.id_selectors, m.class_selectors, m.lower_local_name_selectors, m.namespace_selectors]
    entries = [e for g in groups for key in sorted(g) for e in g[key]] + m.lang_attr_selectors + m.other_selectors
    return [repr((e[1], e[2], e[3], e[4])) for e in entries] + [repr(sheet.page_rules), repr(sheet.layers)]
plain = [weasyprint.CSS(string=html.UA_FORM, counter_style=html.UA_COUNTER_STYLE.copy())]
plain.append(weasyprint.CSS(string=html.PH))
print(json.dumps({"pdf": data[:5].decode(), "unparsed": unparsed, "css": html.CSS is weasyprint.CSS,
                  "same": [rules(a) == rules(b) for a, b in zip(sheets, plain)],
                  "counter_styles": sorted(html.UA_COUNTER_STYLE)}))
"""


@pytest.mark.parametrize("pure", [False, True])
def test_the_form_and_hint_stylesheets_are_parsed_only_when_used(pure: bool) -> None:
    result = subprocess.run(
        [sys.executable, "-c", LATER_STYLESHEETS, str(EXAMPLES)],
        cwd=ROOT, env=_environment(pure=pure), capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["pdf"] == "%PDF-" and found["css"]
    assert found["unparsed"] == [not pure, not pure]  # a whole PDF without them; as released: parsed at import
    assert found["same"] == [True, True]  # once read, the same rules as WeasyPrint's own parse
    assert "decimal" in found["counter_styles"]


def test_a_changed_stylesheet_function_gets_the_stylesheets_parsed_at_once() -> None:
    import weasyprint

    def _ua_stylesheets(self, forms=False):  # type: ignore[no-untyped-def]  # a new release's
        return [weasyprint.UA_STYLESHEET]

    parsed: list[str] = []

    class Sheet:
        def __init__(self, name: str) -> None:
            self.name = name

        @property
        def matcher(self) -> None:
            parsed.append(self.name)

    handing_out = SimpleNamespace(_ua_stylesheets=_ua_stylesheets, _ph_stylesheets=weasyprint.HTML._ph_stylesheets)
    fake = SimpleNamespace(HTML=handing_out)
    html = SimpleNamespace(UA_FORM_STYLESHEET=Sheet("form"), PH_STYLESHEET=Sheet("ph"))
    assert not pdf_speed.keep_later_stylesheets(fake, html)
    assert parsed == ["form", "ph"]
    parsed.clear()
    assert pdf_speed.keep_later_stylesheets(weasyprint, html)  # the pinned release leaves them as they are
    assert parsed == []


# --- WeasyPrint's user-agent stylesheet, parsed ahead of time ----------------------------------------------

#: Imports the PDF writer, counting the stylesheets tinycss2 parses meanwhile, and prints the user-agent
#: stylesheet's rules (each compiled selector by its bytecode) and the counter styles.
USER_AGENT = r"""
import json, tinycss2
parsed = []
original = tinycss2.parse_stylesheet
def counting(*args, **kwargs):
    parsed.append(1)
    return original(*args, **kwargs)
tinycss2.parse_stylesheet = counting
import generator.writers.pdf
import weasyprint, weasyprint.html as html
sheet = html.UA_STYLESHEET
m = sheet.matcher
groups = [m.id_selectors, m.class_selectors, m.lower_local_name_selectors, m.namespace_selectors]
entries = [e for g in groups for key in sorted(g) for e in g[key]] + m.lang_attr_selectors + m.other_selectors
def code(c):
    consts = tuple(code(k) if hasattr(k, "co_code") else k for k in c.co_consts)
    return (c.co_code, consts, c.co_names, c.co_varnames, c.co_freevars, c.co_cellvars)
rules = [repr((code(e[0].__code__), e[1:])) for e in entries]
print(json.dumps({"parsed": len(parsed), "rules": rules, "pages": repr(sheet.page_rules), "layers": repr(sheet.layers),
                  "same": weasyprint.UA_STYLESHEET is sheet and type(sheet) is weasyprint.CSS,
                  "counters": repr(sorted(html.UA_COUNTER_STYLE.items()))}))
"""


def test_the_user_agent_stylesheet_comes_parsed_with_the_same_rules() -> None:
    """With the lever, importing WeasyPrint parses no stylesheet (the form and hint ones wait, the user-agent one
    is stored), and the user-agent stylesheet holds exactly the rules, selectors and counter styles of
    WeasyPrint's own parse."""
    found = {}
    for pure in (False, True):
        result = subprocess.run(
            [sys.executable, "-c", USER_AGENT],
            cwd=ROOT, env=_environment(pure=pure), capture_output=True, text=True, check=False, timeout=120,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        found[pure] = json.loads(result.stdout)
    assert (found[False]["parsed"], found[True]["parsed"]) == (0, 3)
    assert len(found[False]["rules"]) > 100 and found[False]["same"]
    for key in ("rules", "pages", "layers", "same", "counters"):
        assert found[False][key] == found[True][key]


def test_the_stored_user_agent_stylesheet_is_what_the_installed_weasyprint_parses() -> None:
    """``python -m tools.make_ua_stylesheet`` wrote the stored stylesheet from this WeasyPrint, tinycss2,
    cssselect2 and Python: the same text (its SHA-256), the same bytes, the bytecode version it names."""
    import importlib.util

    from weasyprint import html

    from tools.make_ua_stylesheet import TARGET, record

    assert hashlib.sha256(html.UA.encode("utf-8")).hexdigest() == pdf_speed.UA_SOURCE_SHA256
    assert importlib.util.MAGIC_NUMBER.hex() == pdf_speed.UA_BYTECODE
    assert TARGET.name == pdf_speed.UA_FILE
    assert hashlib.sha256(TARGET.read_bytes()).hexdigest() == pdf_speed.UA_FILE_SHA256
    assert record() == TARGET.read_bytes()
    assert pdf_speed._stored_ua(html.UA) is not None
    assert pdf_speed._stored_ua(html.UA + " ") is None  # another text is parsed as always
