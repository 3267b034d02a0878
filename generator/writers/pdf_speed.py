"""Speed levers applied to WeasyPrint and its helpers from outside: they change how fast a PDF is made, never
its bytes.

Why one module: each lever relies on a private detail of a pinned library. Keeping them together means one
place to read, one switch to turn them all off (``RAADSVOORSTEL_PURE=1``: the plain libraries, as released)
and one table of :data:`TARGETS` — the functions whose signature and source each lever was measured against.
A lever is applied only with the pinned WeasyPrint (:data:`WEASYPRINT_PIN`); ``tests/test_pdf_speed.py``
fails loudly, naming the function, when a release changes a target, and proves that both paths give the same
bytes for every example document.

The levers (figures in the README, "Snelheid"):

- **Library loading.** WeasyPrint tries several names per library (``libpango-1.0-0``, ``pango-1.0``, …,
  ``libpango-1.0.so.0``); for every name that is not a file cffi calls ``ctypes.util.find_library``, which
  on Linux runs ``ldconfig`` and ``gcc`` — 22 subprocesses, about 0.2 s wall and 0.13 s CPU per process
  start. While WeasyPrint loads, :func:`load_weasyprint` makes ``find_library`` answer "not found" at once,
  so cffi goes on to the ``libX.so.N`` name and opens it directly: the same library files (the test compares
  the process's memory map). Should that fail on some system, WeasyPrint is loaded again the plain way.
  Importing this module applies it, so the PDF writer imports it first.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import hashlib
import importlib
import inspect
import io
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import metadata
from typing import Any

__all__ = ["PURE_VARIABLE", "TARGETS", "WEASYPRINT_PIN", "Target", "TargetChanged", "check", "load_weasyprint"]

#: Set to ``1`` to run WeasyPrint exactly as released (no lever applied).
PURE_VARIABLE = "RAADSVOORSTEL_PURE"

#: The WeasyPrint release the levers were measured against; with any other release they stay off.
WEASYPRINT_PIN = "70.0"


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
        function: Callable[..., Any] = getattr(importlib.import_module(self.module), self.name)
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
}


def fingerprint(function: Callable[..., Any]) -> tuple[str, str]:
    """The signature and the SHA-256 of the source of ``function``: what :func:`check` compares."""
    source = inspect.getsource(function)
    return str(inspect.signature(function)), hashlib.sha256(source.encode("utf-8")).hexdigest()


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
    try:
        return metadata.version("weasyprint") != WEASYPRINT_PIN
    except metadata.PackageNotFoundError:
        return True


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
    try:
        # WeasyPrint prints an installation hint before it raises; the plain retry below prints its own.
        with _direct_library_names(), contextlib.redirect_stdout(io.StringIO()):
            importlib.import_module("weasyprint.text.ffi")
    except OSError:
        for name in [name for name in sys.modules if name == "weasyprint" or name.startswith("weasyprint.")]:
            del sys.modules[name]
        importlib.import_module("weasyprint.text.ffi")


load_weasyprint()  # on import: the PDF writer imports this module before anything imports WeasyPrint
