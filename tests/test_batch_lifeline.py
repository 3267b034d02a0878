"""A killed batch leaves nothing running and nothing that writes later (issue 15, class 1).

The batch runs as a subprocess in its own process group; only the parent is killed with SIGKILL (what the OOM
killer or ``kill -9`` does), at several moments. A slow writer (a script that wraps the worker's atomic write
with a pause) makes "a worker finishes its document after the batch is gone" happen every time, not by luck.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from generator.batch.lifeline import RunGuard
from generator.batch.lock import OutputLock
from generator.batch.manifest import JOURNAL_NAME, MANIFEST_NAME, Entry, Manifest
from generator.batch.worker import Failed, render
from generator.core.output import write_atomic
from generator.errors import OutputError
from tests.conftest import DOSSIER, ROOT

#: Wraps the worker's write with a pause and leaves a marker when a worker starts one. Module level, so the
#: forkserver (which imports the main script as ``__mp_main__``) and every worker get the same patch.
SLOW_SCRIPT = """
import os, sys, time
sys.path.insert(0, {root!r})
import generator.batch.worker as worker

_original = worker.write_atomic

def slow_write(path, data, *args, **kwargs):
    with open(os.environ["MARKERS"], "a") as handle:
        handle.write(f"{{os.getpid()}}\\n")
    time.sleep(float(os.environ["PAUSE"]))
    return _original(path, data, *args, **kwargs)

worker.write_atomic = slow_write

if __name__ == "__main__":
    from generator.cli import main
    main(prog_name="raadsvoorstel")
"""


def _group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes of a process group, from /proc (``killpg(pgid, 0)`` also sees zombies)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def _wait_until(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def _snapshot(out: Path) -> dict[str, tuple[int, bytes]]:
    return {
        p.relative_to(out).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(out.rglob("raadsvoorstel-*"))
        if p.is_file()
    }


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process groups from /proc (Linux)")
@pytest.mark.parametrize("moment", ["forkserver-starting", "mid-document", "after-documents"])
def test_killed_batch_leaves_no_process_and_no_late_write(proposals: Path, tmp_path: Path, moment: str) -> None:
    script = tmp_path / "slow_batch.py"
    script.write_text(textwrap.dedent(SLOW_SCRIPT.format(root=str(ROOT))), encoding="utf-8")
    markers = tmp_path / "markers"
    out = tmp_path / "out"
    # A worker's write waits this long: longer than the newer batch takes where an orphan could write late.
    pause = {"forkserver-starting": "0.5", "mid-document": "3", "after-documents": "0.2"}[moment]
    env = {**os.environ, "MARKERS": str(markers), "PAUSE": pause}
    command = [sys.executable, str(script), "batch", str(proposals), "--out", str(out), "-f", "txt", "-j", "2"]
    process = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        if moment == "forkserver-starting":
            ready = _wait_until(lambda: len(_group_members(process.pid)) > 1, 30)
        elif moment == "mid-document":
            ready = _wait_until(markers.exists, 30)
        else:
            ready = _wait_until(lambda: len(list(out.rglob("raadsvoorstel-*.txt"))) >= 3, 30)
        assert ready and process.poll() is None, f"the batch did not get to {moment}"
        os.kill(process.pid, signal.SIGKILL)  # the parent only: its workers are not told
        killed = time.monotonic()
        process.wait(timeout=10)

        # A newer batch (other data, normal speed) takes the folder and finishes.
        voorstel = proposals / DOSSIER / "voorstel.yaml"
        voorstel.write_text(
            voorstel.read_text(encoding="utf-8").replace("onderwerp: ", "onderwerp: Nieuw ", 1), encoding="utf-8"
        )
        newer = subprocess.run(
            [sys.executable, "-m", "generator", *command[2:]], cwd=ROOT, capture_output=True, text=True, check=False
        )
        assert newer.returncode == 0, newer.stdout + newer.stderr
        after_newer = _snapshot(out)
        assert all(b"Nieuw" in data for _mtime, data in after_newer.values())

        # Once no process of the killed run is left, nothing of it can write any more; an orphan that outlived
        # the kill would finish its paused write first (and so change a file) before it could go.
        gone = _wait_until(lambda: not _group_members(process.pid), max(0.0, killed + 10 - time.monotonic()))
        assert gone, f"still running 10 s after the kill: {_group_members(process.pid)}"
        assert _snapshot(out) == after_newer, "a file changed after the newer batch finished"
    finally:
        for pid in _group_members(process.pid):
            os.kill(pid, signal.SIGKILL)


def test_a_worker_of_a_stale_run_does_not_rename_into_the_folder(tmp_path: Path) -> None:
    """The run token is checked right before the rename: an orphan cannot overwrite a newer run's file."""
    target = tmp_path / "doc.txt"
    target.write_text("nieuw", encoding="utf-8")
    with OutputLock(tmp_path) as lock:
        stale = RunGuard(str(lock.path), "0" * 32)
        current = RunGuard(str(lock.path), lock.token)
        assert current.still_ours() and not stale.still_ours()
        with pytest.raises(OutputError, match="nieuwere batch"):
            write_atomic(target, "oud", stale.still_ours)
        assert target.read_text(encoding="utf-8") == "nieuw"
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".raadsvoorstel-tmp-")]

        from tests.conftest import TEMPLATES
        from tests.ir_sample import sample_document

        result = render(sample_document(), "txt", str(target), TEMPLATES, stale)
        assert isinstance(result, Failed) and "nieuwere batch" in result.message
        assert target.read_text(encoding="utf-8") == "nieuw"
        assert not isinstance(render(sample_document(), "txt", str(target), TEMPLATES, current), Failed)
        assert target.read_text(encoding="utf-8") != "nieuw"


def test_finished_documents_are_in_the_manifest_right_after_they_are_written(tmp_path: Path) -> None:
    """A crash right after a document costs no rebuild: the journal holds it until the manifest is saved."""
    out = tmp_path / "out"
    out.mkdir()
    entry = Entry("d", "g", "txt", {"proposals/voorstel.yaml": "ab"}, "cd", 3, "ef")
    Manifest().record(out, "d/g/raadsvoorstel-d-g.txt", entry)
    loaded = Manifest.load(out)  # what the next run sees after a kill -9 here
    assert loaded.outputs == {"d/g/raadsvoorstel-d-g.txt": entry}
    with (out / JOURNAL_NAME).open("a", encoding="utf-8") as handle:
        handle.write('{"key": "cut off')  # a line the kill cut short
    assert Manifest.load(out).outputs == loaded.outputs
    loaded.save(out)
    assert not (out / JOURNAL_NAME).exists()
    assert json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))["outputs"]["d/g/raadsvoorstel-d-g.txt"]


def test_journal_is_written_while_the_batch_runs(proposals: Path, tmp_path: Path) -> None:
    """Each finished document reaches the journal before the run reports it (not at a 5-second checkpoint)."""
    from generator.batch import run_batch
    from generator.batch.progress import NullReporter

    out = tmp_path / "out"
    seen: list[bool] = []

    class Watch(NullReporter):
        def done(self, job, result):  # type: ignore[no-untyped-def]
            seen.append(job.key in Manifest.load(out).outputs)

    summary = run_batch(proposals, out, ("txt",), jobs=1, reporter=Watch())
    assert summary.ok and seen and all(seen)


#: Arms the lifeline in this process and reads back from the kernel which signal its parent's death sends.
ASK_KERNEL = r"""
import ctypes, signal, subprocess
import generator.batch.lifeline as lifeline
spawned = []
original = subprocess.Popen.__init__
def counting(self, *args, **kwargs):
    spawned.append(args[0])
    original(self, *args, **kwargs)
subprocess.Popen.__init__ = counting
lifeline._ask_kernel(signal.SIGKILL)
value = ctypes.c_int()
ctypes.CDLL(None).prctl(2, ctypes.byref(value))  # PR_GET_PDEATHSIG
print(value.value, len(spawned))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_the_kernel_is_asked_to_end_a_worker_with_its_parent_without_running_a_program() -> None:
    result = subprocess.run(
        [sys.executable, "-c", ASK_KERNEL], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.split() == [str(int(signal.SIGKILL)), "0"]  # no ldconfig on the way to the first document
