"""Where documents go and how they get there: paths under ``--out`` only, atomic writes.

An atomic write (temp file in the same folder, fsync, rename) means a reader, a crash or a failed render
never sees half a file, and a previous good file stays until its replacement is whole.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from generator.errors import OutputError, display_path, os_reason
from generator.sources.slugs import SLUG_RE

TEMP_PREFIX = ".raadsvoorstel-tmp-"


class OutputEscape(OutputError):
    """A document's path would leave the output folder (a folder in it is a link to elsewhere)."""


def document_path(out: Path, dossier: str, gemeente: str, ext: str, kind: str = "raadsvoorstel") -> Path:
    """``<out>/<dossier>/<gemeente>/<kind>-<dossier>-<gemeente>.<ext>``, refused if it would leave ``out``."""
    for part in (dossier, gemeente):
        if not SLUG_RE.fullmatch(part):
            raise OutputError(f"'{part}' is geen geldige korte naam voor een map")
    root = out.resolve()
    target = (root / dossier / gemeente / f"{kind}-{dossier}-{gemeente}.{ext}").resolve()
    if not target.is_relative_to(root):
        raise OutputEscape(
            f"{display_path(target)} ligt buiten de uitvoermap {display_path(root)} (een map daarin is een "
            "koppeling naar elders); verwijder de koppeling"
        )
    return target


def write_atomic(path: Path, data: bytes | str, still_ours: Callable[[], bool] | None = None) -> None:
    """Write ``data`` to ``path`` so that the path holds either the old file or the whole new one.

    ``still_ours`` is asked right before the rename: a batch worker passes its run guard, so a worker whose
    batch is gone (and whose folder a newer batch may hold) leaves the file alone.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent)
    except OSError as exc:
        raise OutputError(f"kon {display_path(path)} niet schrijven: {os_reason(exc)}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        if still_ours is not None and not still_ours():
            raise OutputError(f"{path} niet geschreven: de batch is gestopt of een nieuwere batch heeft de map")
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"kon {display_path(path)} niet schrijven: {os_reason(exc)}") from exc
        raise
