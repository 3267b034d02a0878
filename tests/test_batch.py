"""``raadsvoorstel batch``: identical bytes in parallel, incremental rebuilds, isolation, lock, crash safety.

Most tests use the fast ``txt``, ``html`` and ``docx`` formats; PDF appears where its bytes or its
whole-file guarantee are the point. No test asserts a timing: that is what ``bench/`` is for.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import weakref
import zipfile
from pathlib import Path

import docx
import pikepdf
import pytest

from generator.batch import Job, Summary, run_batch
from generator.batch.lock import LOCK_NAME, OutputLock
from generator.batch.manifest import MANIFEST_NAME
from generator.batch.progress import NullReporter
from generator.batch.startup import BatchLine, batch_arguments
from generator.batch.worker import Failed, Rendered
from generator.core.output import TEMP_PREFIX
from generator.errors import display_path
from generator.sources.layout import KINDS
from generator.writers import FORMATS
from generator.writers.templatefiles import Templates
from tests.conftest import DOSSIER, GEMEENTEN, ROOT, Invoke, copy_templates

SECOND = "tweede-dossier"


def _outputs(out: Path) -> dict[str, bytes]:
    """Every file below ``out`` except the lock file (it holds a PID and a start time), by relative path."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != LOCK_NAME
    }


#: Documents per format of the example dossier: each municipality's raadsvoorstel and raadsbesluit.
DOCS = len(GEMEENTEN) * len(KINDS)


def _documents(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("raads*-*") if p.is_file())


def _manifest(out: Path) -> dict[str, dict[str, object]]:
    data = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    outputs: dict[str, dict[str, object]] = data["outputs"]
    return outputs


def _built(summary: Summary) -> set[tuple[str, str, str]]:
    return {(job.dossier, job.gemeente, job.fmt) for job, _ in summary.results}


def _add_second_dossier(proposals: Path) -> None:
    """A second dossier: a copy of the example with a different subject."""
    target = proposals / SECOND
    shutil.copytree(proposals / DOSSIER, target)
    text = (target / "voorstel.yaml").read_text(encoding="utf-8")
    (target / "voorstel.yaml").write_text(text.replace("onderwerp: ", "onderwerp: Tweede ", 1), encoding="utf-8")


def _assert_whole(path: Path) -> None:
    """The file is a complete document of its kind (what a reader would open)."""
    if path.suffix == ".docx":
        docx.Document(str(path))
    elif path.suffix == ".pdf":
        with pikepdf.open(path) as pdf:
            assert len(pdf.pages) > 0
        if shutil.which("qpdf"):
            check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True, check=False)
            assert check.returncode == 0, check.stdout + check.stderr
    elif path.suffix == ".html":
        assert path.read_text(encoding="utf-8").rstrip().endswith("</html>")
    else:
        path.read_text(encoding="utf-8")


def _assert_complete(out: Path, dossiers: list[str], formats: tuple[str, ...]) -> None:
    """Every output present and whole, the manifest lists exactly them with the right hashes, no temp files."""
    expected = {
        f"{d}/{g}/{kind}-{d}-{g}.{FORMATS[f].extension}"
        for d in dossiers
        for g in GEMEENTEN
        for f in formats
        for kind in KINDS
    }
    manifest = _manifest(out)
    assert set(manifest) == expected
    for key, entry in manifest.items():
        path = out / key
        _assert_whole(path)
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"], key
        assert path.stat().st_size == entry["size"], key
    assert not [p for p in out.rglob(f"{TEMP_PREFIX}*")]


# --- determinism and the manifest ---------------------------------------------------------------------------


def test_parallel_batch_gives_the_bytes_of_a_single_process_build(
    proposals: Path, tmp_path: Path, cli: Invoke, examples_built: Path
) -> None:
    """Two worker processes, documents handed out as they come, against `build` rendering one after the other in
    another process (the session's example build): the same files, byte for byte, whatever process made them."""
    parallel = cli("batch", proposals, "--out", tmp_path / "parallel", "--jobs", "2", "-f", "pdf", "-f", "docx")
    assert parallel.exit_code == 0, parallel.output
    one, two = _outputs(tmp_path / "parallel" / DOSSIER), _outputs(examples_built)
    assert len(one) == 2 * DOCS  # every document in both formats
    assert one.keys() == two.keys()
    for name in one:
        assert one[name] == two[name], name
    _assert_complete(tmp_path / "parallel", [DOSSIER], ("pdf", "docx"))


def test_manifest_records_inputs_and_output_per_file(proposals: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch(proposals, out, ("docx", "html", "txt"), jobs=2)
    manifest = _manifest(out)
    key = f"{DOSSIER}/leusden/raadsvoorstel-{DOSSIER}-leusden.docx"
    entry = manifest[key]
    assert (entry["dossier"], entry["gemeente"], entry["format"]) == (DOSSIER, "leusden", "docx")
    inputs = entry["inputs"]
    assert isinstance(inputs, dict)
    assert set(inputs) == {
        "generator:docx",
        "proposals/gemeenten.yaml",
        f"proposals/{DOSSIER}/voorstel.yaml",
        f"proposals/{DOSSIER}/gemeenten/leusden.yaml",
        "templates/docx/reference.docx",
        "templates/profiel.toml",  # the layout profile (the package's: the reference form)
        "templates/huisstijl.toml",  # the DOCX's layout measures
    }
    overlay = proposals / DOSSIER / "gemeenten" / "leusden.yaml"
    assert inputs[f"proposals/{DOSSIER}/gemeenten/leusden.yaml"] == hashlib.sha256(overlay.read_bytes()).hexdigest()
    html_inputs = manifest[key.replace(".docx", ".html")]["inputs"]
    assert isinstance(html_inputs, dict)
    assert "templates/html/raadsvoorstel.css" in html_inputs
    assert "templates/gemeenten/leusden/huisstijl.css" in html_inputs
    assert not [k for k in html_inputs if k.startswith(("templates/docx/", "templates/gemeenten/soest/"))]
    txt_inputs = manifest[key.replace(".docx", ".txt")]["inputs"]
    assert isinstance(txt_inputs, dict)
    assert [k for k in txt_inputs if k.startswith("templates/")] == ["templates/profiel.toml"]  # the profile only
    # no timestamps, sorted keys: a rerun that changes nothing leaves the very same bytes
    before = (out / MANIFEST_NAME).read_bytes()
    text = before.decode("utf-8")
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    run_batch(proposals, out, ("docx", "html", "txt"), jobs=2, force=True)
    assert (out / MANIFEST_NAME).read_bytes() == before


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_writer_file_map_matches_what_each_writer_imports(fmt: str) -> None:
    """The generator hash of a format leaves out other formats' writers: the map must match real imports."""
    code = (
        "import sys; from generator.writers import get_writer; "
        f"get_writer({fmt!r}); "
        "print('\\n'.join(sorted(m for m in sys.modules if m.startswith('generator.writers.'))))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    own = FORMATS[fmt].sources
    others = {f for name, writer in FORMATS.items() if name != fmt for f in writer.sources}
    for module in loaded.stdout.split():
        rel = module.removeprefix("generator.").replace(".", "/")
        covered = any(f == f"{rel}.py" or (f.endswith("/") and f"{rel}/".startswith(f)) for f in own)
        excluded = any(f == f"{rel}.py" or (f.endswith("/") and f"{rel}/".startswith(f)) for f in others)
        assert covered or not excluded, f"{module} is used by {fmt} but left out of its generator hash"


class _Cyclic:
    """An object that refers to itself: only the cycle collector frees it."""

    def __init__(self) -> None:
        self.me = self


def test_a_worker_frees_a_documents_cycles_at_once_and_older_garbage_at_the_next_full_collection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from generator.batch import worker

    was_enabled = gc.isenabled()
    gc.disable()  # as in a worker: only the collections worker.collect asks for
    generations: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            generations.append(info["generation"])

    gc.callbacks.append(seen)
    try:
        monkeypatch.setattr(worker, "_since_full", [0])
        old = _Cyclic()
        gc.collect()  # survives into the oldest generation, like a cache filled by an earlier document
        gone_later = weakref.ref(old)
        del old
        generations.clear()
        young = _Cyclic()
        gone_now = weakref.ref(young)
        del young
        worker.collect()
        assert gone_now() is None  # the document's own cycles: freed right after it
        for _ in range(worker.FULL_COLLECTION_EVERY - 2):
            worker.collect()
        assert gone_later() is not None  # not walked by the young collections
        worker.collect()
        assert gone_later() is None
        assert generations == [0] * (worker.FULL_COLLECTION_EVERY - 1) + [2]
    finally:
        gc.callbacks.remove(seen)
        if was_enabled:
            gc.enable()


def test_worker_processes_import_no_models_parser_or_planning() -> None:
    """What the forkserver preloads for the workers stays lean: each extra import delays every cold batch."""
    from generator.batch.startup import preload_modules

    modules = preload_modules(("docx", "pdf"))
    heavy = ("pydantic", "ruamel.yaml", "markdown_it", "babel", "generator.batch.plan", "generator.batch.manifest")
    code = f"import sys, {', '.join(modules)}; print(' '.join(m for m in {heavy!r} if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert loaded.stdout.split() == []
    assert {"generator.writers.pdf", "generator.writers.docx"} <= set(modules)
    assert not any(m.startswith("generator.cli") for m in modules)  # the library does not depend on its CLI
    cli = subprocess.run(
        [sys.executable, "-c", f"import sys, generator.cli; print(' '.join(m for m in {heavy!r} if m in sys.modules))"],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    assert cli.stdout.split() == []  # the parent's main module is preloaded too: it must stay as lean


def test_the_cli_imports_no_core_module_a_batch_never_needs() -> None:
    """``validate`` (with the checks of frozen documents), ``new``, ``build`` and the B1 check are imported by the
    API when first asked for: the batch process imports its CLI without them."""
    unused = ("generator.core.validate", "generator.core.frozen", "generator.core.scaffold", "generator.core.write",
              "generator.core.readability")  # fmt: skip
    code = (
        "import sys, generator.cli; from generator import api; "
        f"print(' '.join(m for m in {unused!r} if m in sys.modules)); "
        "from generator.core.validate import validate; print(api.validate is validate, api.Built.__name__)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.splitlines() == ["", "True Built"]


#: Logs each module a process imports, with the process and its parent, to the file ``IMPORT_LOG`` names; and
#: as ``@socket.bind`` the moment a process binds a socket (the batch, when it starts its forkserver).
IMPORT_LOG_HOOK = """
import os, sys
def log_import(event, args):
    if event in ("import", "socket.bind"):
        with open(os.environ["IMPORT_LOG"], "a", encoding="utf-8") as log:
            log.write(f"{os.getpid()} {os.getppid()} {args[0] if event == 'import' else '@' + event}\\n")
sys.addaudithook(log_import)
"""


#: A caller's own script: run as a program it builds a round; imported by multiprocessing (as ``__mp_main__``)
#: it notes which process imports it and whether that process is still in its bootstrapping phase.
CALLER_SCRIPT = """
import multiprocessing, os, sys
from pathlib import Path
if __name__ == "__mp_main__":
    bootstrapping = getattr(multiprocessing.current_process(), "_inheriting", False)
    with open(os.environ["MAIN_LOG"], "a", encoding="utf-8") as log:
        log.write(f"{os.getpid()} {os.getppid()} {bootstrapping}\\n")
if __name__ == "__main__":
    from generator import api
    summary = api.run_batch(Path(sys.argv[1]), Path(sys.argv[2]), ["txt"], jobs=1)
    print(os.getpid(), summary.built, summary.failed)
"""


def test_a_callers_script_is_imported_once_by_the_forkserver_in_its_bootstrapping_phase(
    proposals: Path, tmp_path: Path
) -> None:
    """As CPython's own forkserver would: a script that starts processes while being imported (no main guard)
    then gets multiprocessing's clear error instead of starting a batch inside the forkserver."""
    script, log = tmp_path / "ronde.py", tmp_path / "main.log"
    script.write_text(CALLER_SCRIPT, encoding="utf-8")
    env = {**os.environ, "MAIN_LOG": str(log)}
    result = subprocess.run(
        [sys.executable, str(script), str(proposals), str(tmp_path / "out")],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=300,
    )  # fmt: skip
    caller, built, failed = map(int, result.stdout.split())
    assert (built, failed) == (14, 0)
    imports = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    assert [(parent, bootstrapping) for _pid, parent, bootstrapping in imports] == [(str(caller), "True")]


def _batch_import_log(
    proposals: Path, tmp_path: Path, *options: str, formats: tuple[str, ...] = ("txt",)
) -> list[tuple[int, int, str]]:
    """Every import of a console-script batch's processes, in order: (process, parent, module)."""
    script = Path(sys.executable).with_name("raadsvoorstel")
    hook, log = tmp_path / "hook", tmp_path / "imports.log"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(IMPORT_LOG_HOOK, encoding="utf-8")
    path = os.pathsep.join(p for p in (str(hook), os.environ.get("PYTHONPATH", "")) if p)  # a checkout's too
    env = {**os.environ, "PYTHONPATH": path, "IMPORT_LOG": str(log)}
    chosen = [option for fmt in formats for option in ("-f", fmt)]
    command = [str(script), "batch", str(proposals), "--out", str(tmp_path / "out"), *chosen, *options]
    subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=300)
    lines = log.read_text(encoding="utf-8").splitlines()
    return [(int(pid), int(parent), module) for pid, parent, module in map(str.split, lines)]


def test_workers_find_the_main_script_imported_by_the_forkserver(proposals: Path, tmp_path: Path) -> None:
    """multiprocessing imports the parent's main script into every worker; CPython 3.11's forkserver forgets to
    do it once for all of them, so the batch has it do so. The script imports only ``generator.entry``: neither
    the forkserver nor a worker loads the CLI."""
    log = _batch_import_log(proposals, tmp_path, "--jobs", "2")
    imports: dict[tuple[int, int], set[str]] = {}
    for pid, parent, module in log:
        imports.setdefault((pid, parent), set()).add(module)
    (main,) = [pid for pid, parent in imports if parent == os.getpid()]
    (forkserver,) = [pid for (pid, parent), found in imports.items() if parent == main and "generator.batch" in found]
    workers = [found for (_pid, parent), found in imports.items() if parent == forkserver]
    assert {"click", "generator.cli"} <= imports[(main, os.getpid())]
    assert "generator.entry" in imports[(forkserver, main)]
    assert not imports[(forkserver, main)] & {"click", "generator.cli", "generator.api"}
    assert len(workers) == 2
    for found in workers:
        assert not found & {"click", "generator.cli", "generator.api", "generator.entry", "concurrent.futures.process"}


def test_a_worker_renders_docx_and_pdf_without_importing_the_models_or_the_builder(
    proposals: Path, tmp_path: Path
) -> None:
    """A worker gets built documents: rendering them must not import what builds them. The HTML of an
    ontwerpbesluit once took its open date line from ``document.besluit``, and so imported the builder with
    pydantic, Markdown, YAML and Babel: 0.12 s of processor time in every worker's first document."""
    log = _batch_import_log(proposals, tmp_path, "--jobs", "1", formats=("docx", "pdf"))
    main = next(pid for pid, parent, _module in log if parent == os.getpid())
    forkserver = next(pid for pid, parent, module in log if parent == main and module == "generator.batch.worker")
    (worker,) = {pid for pid, parent, _module in log if parent == forkserver}
    after_fork = {module for pid, _parent, module in log if pid == worker}
    heavy = {"pydantic", "ruamel.yaml", "markdown_it", "babel", "sentencex", "pyphen", "tomllib"}
    heavy |= {"generator.model", "generator.resolve", "generator.document.build", "generator.document.besluit"}
    assert not after_fork & heavy
    assert len(list((tmp_path / "out").rglob("*.pdf"))) == len(list((tmp_path / "out").rglob("*.docx"))) == 14


def test_the_batch_process_validates_concepts_without_lxml_the_archive_or_the_attachment_checks(
    proposals: Path, tmp_path: Path
) -> None:
    """What the batch process imports sits on the way to every cold batch's first document: the CBS codes are
    checked against the TOOI list without the XSD validator (lxml), a round of concepts freezes nothing (no
    archive), and a dossier that names no attachment files needs no attachment checks (nor the DiWoo writer)."""
    log = _batch_import_log(proposals, tmp_path)
    main = next(pid for pid, parent, _module in log if parent == os.getpid())
    in_main = {module for pid, _parent, module in log if pid == main}
    assert "generator.writers.tooi" in in_main  # the CBS codes were checked
    absent = {"lxml", "lxml.etree", "generator.writers.diwoo_valid", "generator.core.archive"}
    absent |= {"generator.core.attachments", "generator.writers.diwoo"}
    assert not in_main & absent


#: Logs, per import, the process, its parent, the module and whether the garbage collector runs automatically.
COLLECTOR_LOG_HOOK = """
import gc, os, sys
def log_import(event, args):
    if event == "import":
        with open(os.environ["IMPORT_LOG"], "a", encoding="utf-8") as log:
            log.write(f"{os.getpid()} {os.getppid()} {args[0]} {gc.isenabled()}\\n")
sys.addaudithook(log_import)
"""


def test_a_cold_batch_starts_up_without_automatic_garbage_collection(proposals: Path, tmp_path: Path) -> None:
    """The batch process imports the CLI and the models and validates its first dossier without the collector
    (it walked the new objects again and again: 30 ms), then freezes them and collects as usual; the forkserver
    imports WeasyPrint and the writers without it (25 ms), and its workers keep collecting by hand."""
    hook, log = tmp_path / "hook", tmp_path / "imports.log"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(COLLECTOR_LOG_HOOK, encoding="utf-8")
    path = os.pathsep.join(p for p in (str(hook), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "PYTHONPATH": path, "IMPORT_LOG": str(log)}
    script = Path(sys.executable).with_name("raadsvoorstel")
    command = [str(script), "batch", str(proposals), "--out", str(tmp_path / "out"), "-f", "txt", "-j", "1"]
    subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=300)
    rows = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    main = next(int(pid) for pid, parent, _module, _on in rows if int(parent) == os.getpid())
    in_main = {module: on == "True" for pid, _parent, module, on in rows if int(pid) == main}
    assert not in_main["generator.cli"] and not in_main["generator.model.proposal"]  # start-up and validation
    in_forkserver = {module: on == "True" for pid, parent, module, on in rows if int(parent) == main}
    assert in_forkserver["generator.batch.lifeline"] and not in_forkserver["generator.writers.txt"]
    assert len(list((tmp_path / "out").rglob("*.txt"))) == 14


#: Logs each Python source file of WeasyPrint a process opens (reading a function's source for its fingerprint).
SOURCE_OPEN_HOOK = """
import os, sys
def log_open(event, args):
    if event == "open" and isinstance(args[0], str) and args[0].endswith(".py") and "/weasyprint/" in args[0]:
        with open(os.environ["OPEN_LOG"], "a", encoding="utf-8") as log:
            log.write(f"{os.getpid()} {os.getppid()} {args[0]}\\n")
sys.addaudithook(log_open)
with open(os.environ["OPEN_LOG"], "a", encoding="utf-8") as log:
    log.write(f"{os.getpid()} {os.getppid()} -\\n")
"""


def test_the_forkserver_checks_the_pdf_speed_levers_once_for_all_its_workers(
    proposals: Path, tmp_path: Path
) -> None:
    """The fingerprints of the levers a render puts in are checked in the forkserver (``pdf.prepare``, called
    when it imports the worker module), not again in every worker's first document."""
    hook, log = tmp_path / "hook", tmp_path / "open.log"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(SOURCE_OPEN_HOOK, encoding="utf-8")
    path = os.pathsep.join(p for p in (str(hook), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "PYTHONPATH": path, "OPEN_LOG": str(log)}
    script = Path(sys.executable).with_name("raadsvoorstel")
    command = [str(script), "batch", str(proposals), "--out", str(tmp_path / "out"), "-f", "pdf", "-j", "2"]
    subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=300)
    rows = [(int(pid), int(parent), path) for pid, parent, path in map(str.split, log.read_text("utf-8").splitlines())]
    (main,) = {pid for pid, parent, _path in rows if parent == os.getpid()}
    children = {pid for pid, parent, _path in rows if parent == main}  # the forkserver, the resource tracker
    readers = {(pid, parent) for pid, parent, path in rows if path.endswith("weasyprint/text/line_break.py")}
    (forkserver,) = {pid for pid, parent in readers if pid in children}  # the line memory's targets, checked
    assert {pid for pid, _parent, path in rows if path != "-"} == {forkserver}  # no worker reads a source again
    assert len(list((tmp_path / "out").rglob("*.pdf"))) == 14


def test_the_start_up_pause_of_the_collector_ends_frozen_and_only_once() -> None:
    from generator.batch import startup

    assert gc.isenabled()
    startup.resume_collection()  # no pause (a caller's own process): nothing changes
    assert gc.isenabled() and gc.get_freeze_count() == 0
    try:
        startup.pause_collection()
        assert not gc.isenabled()
        startup.resume_collection()
        assert gc.isenabled() and gc.get_freeze_count() > 0
        gc.unfreeze()
        startup.resume_collection()
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()
        gc.enable()


def test_a_cold_batch_starts_its_forkserver_before_the_cli_is_imported(proposals: Path, tmp_path: Path) -> None:
    """The forkserver imports the writers while the batch process imports the CLI and validates."""
    log = _batch_import_log(proposals, tmp_path)
    main = next(pid for pid, parent, _module in log if parent == os.getpid())
    in_main = [module for pid, _parent, module in log if pid == main]
    assert in_main.index("@socket.bind") < in_main.index("click")  # the forkserver's socket, then the CLI
    assert any(parent == main and module == "generator.writers.txt" for _pid, parent, module in log)


# --- incremental ----------------------------------------------------------------------------------------------


def test_noop_rerun_skips_everything_and_rewrites_nothing(proposals: Path, tmp_path: Path, cli: Invoke) -> None:
    out = tmp_path / "out"
    first = cli("batch", proposals, "--out", out, "-f", "docx", "-f", "txt")
    assert first.exit_code == 0, first.output
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and p.name != LOCK_NAME}
    again = cli("batch", proposals, "--out", out, "-f", "docx", "-f", "txt")
    assert again.exit_code == 0, again.output
    assert "alles is actueel: 28 documenten ongewijzigd" in again.output
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps


def test_overlay_change_rebuilds_exactly_that_municipality(proposals: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch(proposals, out, ("docx", "txt"), jobs=2)
    overlay = proposals / DOSSIER / "gemeenten" / "leusden.yaml"
    overlay.write_text(
        overlay.read_text(encoding="utf-8").replace("54400", "54500"),
        encoding="utf-8",
    )
    summary = run_batch(proposals, out, ("docx", "txt"), jobs=2)
    assert _built(summary) == {(DOSSIER, "leusden", "docx"), (DOSSIER, "leusden", "txt")}
    assert summary.skipped == 2 * DOCS - 4  # Leusden's voorstel and besluit, in two formats
    assert "54.500" in (out / DOSSIER / "leusden" / f"raadsvoorstel-{DOSSIER}-leusden.txt").read_text("utf-8")


def test_shared_data_change_rebuilds_the_dossier_only(proposals: Path, tmp_path: Path) -> None:
    _add_second_dossier(proposals)
    out = tmp_path / "out"
    run_batch(proposals, out, ("txt",), jobs=2)
    proposal = proposals / SECOND / "voorstel.yaml"
    proposal.write_text(proposal.read_text(encoding="utf-8") + "\n# een opmerking\n", encoding="utf-8")
    summary = run_batch(proposals, out, ("txt",), jobs=2)
    assert _built(summary) == {(SECOND, g, "txt") for g in GEMEENTEN}


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    target = tmp_path / ".verborgen" / "templates"  # a hidden folder higher up must not hide the templates
    copy_templates(target)
    return target


def test_template_changes_rebuild_exactly_the_affected_format(proposals: Path, tmp_path: Path, templates: Path) -> None:
    out = tmp_path / "out"
    formats = ("docx", "html", "txt")
    first = run_batch(proposals, out, formats, jobs=2, templates=Templates((templates,)))
    assert first.built == 3 * DOCS

    css = templates / "html" / "raadsvoorstel.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* nieuw */\n", encoding="utf-8")
    after_css = run_batch(proposals, out, formats, jobs=2, templates=Templates((templates,)))
    assert _built(after_css) == {(DOSSIER, g, "html") for g in GEMEENTEN}

    reference = templates / "docx" / "reference.docx"
    _rezip_with_comment(reference, b"nieuwe huisstijl")
    after_docx = run_batch(proposals, out, formats, jobs=2, templates=Templates((templates,)))
    assert _built(after_docx) == {(DOSSIER, g, "docx") for g in GEMEENTEN}

    (templates / "html" / ".raadsvoorstel.css.swp").write_bytes(b"editor")
    (templates / "html" / "page.html~").write_bytes(b"backup")
    assert run_batch(proposals, out, formats, jobs=2, templates=Templates((templates,))).built == 0

    house = templates / "gemeenten" / "soest" / "huisstijl.css"
    house.write_text(house.read_text(encoding="utf-8") + "\n/* soest */\n", encoding="utf-8")
    after_house = run_batch(proposals, out, formats, jobs=2, templates=Templates((templates,)))
    assert _built(after_house) == {(DOSSIER, "soest", "html")}


def _rezip_with_comment(path: Path, comment: bytes) -> None:
    """A different but still valid reference.docx: same parts, a new archive comment."""
    with zipfile.ZipFile(path) as source:
        parts = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w") as target:
        for info, data in parts:
            target.writestr(info, data)
        target.comment = comment


def test_damaged_or_deleted_output_is_rebuilt(proposals: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch(proposals, out, ("docx",), jobs=2)
    truncated = out / DOSSIER / "baarn" / f"raadsvoorstel-{DOSSIER}-baarn.docx"
    truncated.write_bytes(truncated.read_bytes()[:100])
    edited = out / DOSSIER / "leusden" / f"raadsvoorstel-{DOSSIER}-leusden.docx"
    data = bytearray(edited.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size, other bytes: only the hash can tell
    edited.write_bytes(bytes(data))
    (out / DOSSIER / "soest" / f"raadsvoorstel-{DOSSIER}-soest.docx").unlink()
    summary = run_batch(proposals, out, ("docx",), jobs=2)
    assert _built(summary) == {(DOSSIER, g, "docx") for g in ("baarn", "leusden", "soest")}
    _assert_complete(out, [DOSSIER], ("docx",))


def test_force_rebuilds_everything(proposals: Path, tmp_path: Path, cli: Invoke) -> None:
    out = tmp_path / "out"
    assert cli("batch", proposals, "--out", out, "-f", "txt").exit_code == 0
    forced = cli("batch", proposals, "--out", out, "-f", "txt", "--force")
    assert forced.exit_code == 0, forced.output
    assert f"te bouwen: {DOCS} documenten uit 1 dossier(s), 0 ongewijzigd" in forced.output
    assert forced.output.count("] gebouwd: ") == DOCS


def test_unreadable_manifest_means_everything_is_checked_again(proposals: Path, tmp_path: Path, cli: Invoke) -> None:
    out = tmp_path / "out"
    assert cli("batch", proposals, "--out", out, "-f", "txt").exit_code == 0
    (out / MANIFEST_NAME).write_text("{kapot", encoding="utf-8")
    again = cli("batch", proposals, "--out", out, "-f", "txt")
    assert again.exit_code == 0, again.output
    assert "manifest.json was onleesbaar" in again.output
    _assert_complete(out, [DOSSIER], ("txt",))


# --- failures stay local ---------------------------------------------------------------------------------------


def test_broken_dossier_fails_alone_with_file_and_line(proposals: Path, tmp_path: Path, cli: Invoke) -> None:
    _add_second_dossier(proposals)
    proposal = proposals / SECOND / "voorstel.yaml"
    lines = proposal.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith("wettelijke_grondslag:"))
    lines.insert(number, "onbekend_veld: iets")
    proposal.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = cli("batch", proposals, "--out", out, "-f", "txt", "-f", "docx")
    assert result.exit_code == 1
    assert f"{SECOND}/voorstel.yaml:{number + 1}:" in result.stderr
    assert f"mislukt: dossier {SECOND} ({2 * DOCS} documenten niet gebouwd)" in result.stderr
    assert "dossiers met fouten" in result.stdout and SECOND in result.stdout
    _assert_complete(out, [DOSSIER], ("txt", "docx"))
    assert not (out / SECOND).exists()


def test_render_error_fails_one_document_and_keeps_its_previous_file(
    proposals: Path, tmp_path: Path, cli: Invoke
) -> None:
    out = tmp_path / "out"
    assert cli("batch", proposals, "--out", out, "-f", "html", "-f", "txt").exit_code == 0
    leusden = out / DOSSIER / "leusden" / f"raadsvoorstel-{DOSSIER}-leusden.html"
    good = leusden.read_bytes()
    old_entry = _manifest(out)[f"{DOSSIER}/leusden/{leusden.name}"]
    registry = proposals / "gemeenten.yaml"
    text = registry.read_text(encoding="utf-8")
    registry.write_text(
        text.replace('huisstijl: {kleur: "#00626F"}', 'huisstijl: {kleur: "#00626F", logo: ontbreekt.png}'),
        encoding="utf-8",
    )
    result = cli("batch", proposals, "--out", out, "-f", "html", "-f", "txt")
    assert result.exit_code == 1
    assert f"mislukt: {display_path(leusden)}: " in result.stderr
    assert result.output.count("] gebouwd: ") == 2 * DOCS - 2  # Leusden's voorstel and besluit need the logo
    assert leusden.read_bytes() == good
    assert _manifest(out)[f"{DOSSIER}/leusden/{leusden.name}"] == old_entry
    # the failed document is tried again next time; the others are up to date
    retry = run_batch(proposals, out, ("html", "txt"), jobs=1)
    assert retry.failed == 2 and retry.built == 0 and retry.skipped == 2 * DOCS - 2


def test_workers_are_recycled_without_losing_or_changing_documents(
    proposals: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.batch import schedule

    steady = run_batch(proposals, tmp_path / "steady", ("docx",), jobs=2)
    monkeypatch.setattr(schedule, "RECYCLE_AFTER", 1)  # a fresh pool after every 2 documents
    recycled = run_batch(proposals, tmp_path / "recycled", ("docx",), jobs=2)
    assert recycled.built == DOCS
    assert len({result.pid for _, result in recycled.results}) > len({result.pid for _, result in steady.results})
    assert _outputs(tmp_path / "recycled") == _outputs(tmp_path / "steady")


class _KillFirstWorker(NullReporter):
    """Kills the worker process that rendered the first document, as the kernel's OOM killer would."""

    def __init__(self) -> None:
        self.killed: int | None = None
        self.failures: list[str] = []

    def done(self, job: Job, result: Rendered) -> None:
        if self.killed is None:
            self.killed = result.pid
            os.kill(result.pid, signal.SIGKILL)

    def failed(self, job: Job, failure: Failed) -> None:
        self.failures.append(failure.message)


def test_a_worker_that_dies_costs_only_its_documents(proposals: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    reporter = _KillFirstWorker()
    summary = run_batch(proposals, out, ("docx",), jobs=2, reporter=reporter)
    assert reporter.killed is not None
    assert summary.built + summary.failed == DOCS
    assert summary.built >= 1 and summary.failed >= 1  # the documents in flight on the broken pool
    assert all("werkproces stopte onverwacht" in message for message in reporter.failures)
    retry = run_batch(proposals, out, ("docx",), jobs=2)
    assert retry.failed == 0 and retry.built == summary.failed
    _assert_complete(out, [DOSSIER], ("docx",))


# --- one batch per output folder ---------------------------------------------------------------------------------


def test_lock_refuses_a_second_batch_and_names_the_holder(proposals: Path, tmp_path: Path, cli: Invoke) -> None:
    out = tmp_path / "out"
    with OutputLock(out):
        result = cli("batch", proposals, "--out", out, "-f", "txt")
        assert result.exit_code == 1
        assert "in gebruik door een andere batch" in result.stderr
        assert f"proces {os.getpid()}, gestart " in result.stderr
        assert not _documents(out)
        other = subprocess.run(
            [sys.executable, "-m", "generator", "batch", str(proposals), "--out", str(out), "-f", "txt"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
        assert other.returncode == 1
        assert f"proces {os.getpid()}" in other.stderr and "Traceback" not in other.stderr
    assert cli("batch", proposals, "--out", out, "-f", "txt").exit_code == 0


def test_stray_temp_files_are_removed(proposals: Path, tmp_path: Path, cli: Invoke) -> None:
    out = tmp_path / "out"
    assert cli("batch", proposals, "--out", out, "-f", "txt").exit_code == 0
    strays = [out / f"{TEMP_PREFIX}abc", out / DOSSIER / "leusden" / f"{TEMP_PREFIX}half.pdf"]
    for stray in strays:
        stray.write_bytes(b"%PDF-1.7 half")
    result = cli("batch", proposals, "--out", out, "-f", "txt")
    assert result.exit_code == 0
    assert "opgeruimd: 2 tijdelijk(e) bestand(en)" in result.output
    assert not any(s.exists() for s in strays)


# --- output for people and for logs ------------------------------------------------------------------------------


def test_output_is_plain_lines_without_a_terminal(proposals: Path, tmp_path: Path, cli: Invoke) -> None:
    result = cli("batch", proposals, "--out", tmp_path / "cli", "-f", "txt")
    process = subprocess.run(
        [sys.executable, "-m", "generator", "batch", str(proposals), "--out", str(tmp_path / "sub"), "-f", "txt"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.exit_code == 0 and process.returncode == 0, process.stderr
    for text in (result.output, process.stdout + process.stderr):
        assert "\x1b[" not in text and "\r" not in text
        assert f"[{DOCS}/{DOCS}] gebouwd: " in text
        assert "samenvatting:" in text
        assert f"  gebouwd      {DOCS}" in text and "  ongewijzigd  0" in text and "  mislukt      0" in text
        assert "  tijd " in text


# --- crash safety ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sig", "whole_group", "exit_code"),
    [
        (signal.SIGINT, True, 130),  # Ctrl-C in a terminal reaches the whole process group
        (signal.SIGTERM, False, 143),  # a plain `kill PID` of the batch
        (signal.SIGKILL, True, -signal.SIGKILL),  # nothing can run any more: only atomic writes protect
    ],
    ids=["sigint", "sigterm", "sigkill"],
)
def test_interrupted_run_leaves_whole_files_and_the_next_run_repairs(
    proposals: Path, tmp_path: Path, sig: signal.Signals, whole_group: bool, exit_code: int
) -> None:
    # DOCX and HTML, not PDF: atomic writes and the repair do not depend on the format, and two dossiers of the
    # quick formats (56 documents; the interrupt lands after 3 to 5) cost a fraction of the PDFs' time.
    dossiers = [DOSSIER, SECOND]
    _add_second_dossier(proposals)
    out = tmp_path / "out"
    formats = ("docx", "html")
    command = [sys.executable, "-m", "generator", "batch", str(proposals), "--out", str(out), "--jobs", "2"]
    command += [option for fmt in formats for option in ("-f", fmt)]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    deadline = time.monotonic() + 60
    finished = _journal_keys if sig == signal.SIGKILL else _documents  # journaled: finished, as the next run sees it
    while len(finished(out)) < 3 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert process.poll() is None, "the batch finished before it could be interrupted"
    if whole_group:
        os.killpg(process.pid, sig)
    else:
        os.kill(process.pid, sig)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == exit_code, stdout + stderr
    if sig != signal.SIGKILL:
        assert "afgebroken" in stderr and "Traceback" not in stdout + stderr
    _wait_for_group_to_exit(process.pid)

    written = _documents(out)
    assert 0 < len(written) < len(dossiers) * len(formats) * DOCS
    for path in written:
        _assert_whole(path)
    # After kill -9 only the journal knows what was finished: each document is journaled right after its file.
    recorded = _journal_keys(out) if sig == signal.SIGKILL else None

    repair = run_batch(proposals, out, formats, jobs=2)  # in this process: the next run, as any caller starts it
    assert repair.ok
    _assert_complete(out, dossiers, formats)
    if recorded is not None:  # the next run redoes only what was not recorded
        assert len(recorded) >= 3 and repair.skipped == len(recorded)


#: Runs the program as the console script does, and sends Ctrl-C to the whole process group (as a terminal does)
#: at the moment the CLI is being imported: after the forkserver was started early, before the run began.
STARTUP_INTERRUPT = """
import importlib.abc, os, signal, sys
sys.path.insert(0, {root!r})

class CtrlCWhileImportingTheCli(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "generator.cli":
            sys.meta_path.remove(self)
            os.killpg(0, signal.SIGINT)
        return None

sys.meta_path.insert(0, CtrlCWhileImportingTheCli())
sys.argv = ["raadsvoorstel", *sys.argv[1:]]
from generator.entry import run
run()
"""


def test_ctrl_c_during_start_up_stops_as_during_the_run(proposals: Path, tmp_path: Path) -> None:
    """Ctrl-C while the program starts (the forkserver already importing its writers, the CLI being imported):
    the batch stops at its first safe point exactly as during the run: "afgebroken" and exit 130, no trace of
    Python from it or from its forkserver, nothing half written, the next run builds everything."""
    script = tmp_path / "ctrl_c.py"
    script.write_text(STARTUP_INTERRUPT.format(root=str(ROOT)), encoding="utf-8")
    out = tmp_path / "out"
    process = subprocess.run(
        [sys.executable, str(script), "batch", str(proposals), "--out", str(out), "-f", "txt", "-j", "2"],
        cwd=tmp_path, capture_output=True, text=True, check=False, start_new_session=True, timeout=300,
    )  # fmt: skip
    assert process.returncode == 130, process.stdout + process.stderr
    assert "afgebroken: wat af was is bewaard" in process.stderr, process.stderr
    assert "Traceback" not in process.stdout + process.stderr and "KeyboardInterrupt" not in process.stderr
    assert _documents(out) == []  # stopped before the first document
    repair = run_batch(proposals, out, ("txt",), jobs=2)
    assert repair.ok and repair.built == DOCS


def _journal_keys(out: Path) -> set[str]:
    """The outputs a running batch has journaled (one JSON line each, appended right after the file is written)."""
    from generator.batch.manifest import JOURNAL_NAME

    journal = out / JOURNAL_NAME
    if not journal.is_file():
        return set()
    keys = set()
    for line in journal.read_text(encoding="utf-8").splitlines():
        try:
            keys.add(json.loads(line)["key"])
        except (ValueError, KeyError, TypeError):  # a line being written right now
            continue
    return keys




def _wait_for_group_to_exit(pgid: int) -> None:
    """Workers of a killed group may take a moment to go; the repair run must not race them."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    os.killpg(pgid, signal.SIGKILL)


def test_the_shared_house_style_is_an_input_of_the_odt_and_docx_only() -> None:
    """huisstijl.toml feeds the CSS through a tool (that file counts), but the ODT writer (all of it) and the DOCX
    writer (its [layout] measures) read it themselves: a change to it must rebuild the ODTs and DOCXs only."""
    assert FORMATS["odt"].reads("huisstijl.toml", "leusden")
    assert FORMATS["docx"].reads("huisstijl.toml", "leusden")
    assert not any(FORMATS[f].reads("huisstijl.toml", "leusden") for f in ("txt", "html", "pdf"))


# --- which worker gets which document ----------------------------------------------------------------------------


def _simulate(dossiers: dict[str, int], workers: int) -> list[list[str]]:
    """Hand out documents (all ready at once, one tick each) to ``workers`` with ``choose_dossier``: the
    dossiers each worker took, in turn."""
    from generator.batch.schedule import choose_dossier

    waiting = dict(dossiers)
    current: list[str | None] = [None] * workers
    taken: list[list[str]] = [[] for _ in range(workers)]
    while any(waiting.values()):
        for lane in range(workers):
            dossier = choose_dossier(lane, current, waiting)
            if dossier is not None:
                waiting[dossier] -= 1
                current[lane] = dossier
                taken[lane].append(dossier)
    return taken


def _memories(taken: list[str]) -> list[str]:
    """The dossiers a worker started on (each start builds a line memory)."""
    return [d for i, d in enumerate(taken) if i == 0 or taken[i - 1] != d]


def test_each_worker_keeps_to_a_dossier_of_its_own_while_another_is_waiting() -> None:
    taken = _simulate({"a": 14, "b": 14, "c": 14, "d": 14}, workers=2)
    assert [_memories(run) for run in taken] == [["a", "c"], ["b", "d"]]  # four dossiers, four line memories
    assert len(taken[0]) == len(taken[1]) == 28  # and both busy to the end


def test_a_worker_with_nothing_of_its_own_helps_rather_than_idles() -> None:
    taken = _simulate({"a": 14, "b": 3}, workers=2)
    assert [_memories(run) for run in taken] == [["a"], ["b", "a"]]  # b's worker helps with a (a second memory)
    assert abs(len(taken[0]) - len(taken[1])) <= 1  # nobody idles while documents wait
    one = _simulate({"a": 14}, workers=2)
    assert [_memories(run) for run in one] == [["a"], ["a"]] and sum(map(len, one)) == 14


def test_choose_dossier_takes_nothing_when_nothing_waits() -> None:
    from generator.batch.schedule import choose_dossier

    assert choose_dossier(0, ["a", None], {"a": 0}) is None
    assert choose_dossier(1, ["a", "b"], {"a": 2, "b": 0, "c": 1}) == "c"  # a free dossier before helping a
    assert choose_dossier(0, ["a", "a"], {"a": 2, "c": 1}) == "c"  # a shared worker moves to a free dossier


# --- the early forkserver ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["batch"], BatchLine()),
        (["batch", "ronde", "--out", "uit", "--force"], BatchLine(Path("ronde"), Path("uit"), force=True)),
        (
            ["batch", "-o", "uit", "-f", "pdf", "--format=txt", "-j", "2", "-v"],
            BatchLine(out=Path("uit"), formats=("pdf", "txt")),
        ),
        (["batch", "--out=uit", "--sjablonen", "s", "--publiceer"], BatchLine(out=Path("uit"))),
        (["build", "proposals/x"], None),  # not a batch
        (["--traceback", "batch"], None),  # an option before the command: left to click
        (["batch", "--help"], None),
        (["batch", "-fpdf"], None),  # combined short forms: left to click
        (["batch", "--ou", "uit"], None),  # an abbreviation click would accept: left to click
        (["batch", "-f", "rtf"], None),  # an unknown format: click says so
        (["batch", "--out"], None),  # an option without its value
        (["batch", "a", "b"], None),  # two folders
    ],
)
def test_the_early_start_reads_only_batch_command_lines_it_is_sure_of(
    argv: list[str], expected: BatchLine | None
) -> None:
    assert batch_arguments(argv) == expected


def test_the_forkserver_starts_early_only_when_every_output_is_to_be_built(
    proposals: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.batch import startup
    from generator.sources.layout import JOURNAL_FILE, MANIFEST_FILE

    started: list[tuple[str, ...]] = []
    monkeypatch.setattr(startup, "start_forkserver", lambda formats: started.append(tuple(formats)))
    out = tmp_path / "uit"
    batch = ["batch", str(proposals), "--out", str(out)]
    assert startup.start_early([*batch, "-f", "pdf"])  # nothing built yet
    out.mkdir()
    (out / JOURNAL_FILE).write_text("", encoding="utf-8")  # a run was killed: the plan decides
    assert not startup.start_early(batch)
    (out / JOURNAL_FILE).unlink()
    (out / MANIFEST_FILE).write_text("{}", encoding="utf-8")
    assert not startup.start_early(batch)
    assert startup.start_early([*batch, "--force"])
    assert not startup.start_early(["validate", str(proposals)])
    assert not startup.start_early(["batch", str(tmp_path / "geen-map"), "--force"])  # click says what is wrong
    assert started == [("pdf",), ("docx", "pdf")]
