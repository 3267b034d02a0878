"""The test harness under load: the tests that once failed on a busy machine pass with every core kept busy.

Issue 25, class 6: the killed batch's lifeline at "forkserver-starting" and the batch interrupted with SIGINT
passed alone and failed while other work ran (the first waited a fixed 10 s for the killed run's processes to
go; the second's Ctrl-C could be lost or take another path during start-up). They now wait on events (process
exits, files, a recorded signal). This runs them, and the start-up Ctrl-C test, in a fresh pytest while one
busy loop per core competes for the processor. The busy loops end on their own after a bounded time, and are
killed when the run ends.
"""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT

ONCE_FLAKY = [
    "tests/test_batch_lifeline.py::test_killed_batch_leaves_no_process_and_no_late_write[forkserver-starting]",
    "tests/test_batch.py::test_interrupted_run_leaves_whole_files_and_the_next_run_repairs[sigint]",
    "tests/test_batch.py::test_ctrl_c_during_start_up_stops_as_during_the_run",
]
#: Seconds a busy loop runs at most (it is killed as soon as the tests are done).
BUSY_SECONDS = 600
BUSY_LOOP = "import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end:\n    pass\n"


def test_the_once_flaky_tests_pass_with_every_core_busy() -> None:
    cores = os.cpu_count() or 2
    busy = [
        subprocess.Popen([sys.executable, "-c", BUSY_LOOP.format(seconds=BUSY_SECONDS)]) for _ in range(cores)
    ]
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("COV_CORE", "COVERAGE"))}
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", *ONCE_FLAKY],
            cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=BUSY_SECONDS,
        )  # fmt: skip
        assert all(loop.poll() is None for loop in busy), "the load ended before the tests did"
    finally:
        for loop in busy:
            loop.kill()
            loop.wait()
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert f"{len(ONCE_FLAKY)} passed" in done.stdout, done.stdout[-2000:]
