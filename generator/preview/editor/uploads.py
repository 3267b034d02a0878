"""Attachments uploaded from the editor into the dossier's ``bijlagen/``: bounded, named safely, never opened.

Only PDF, DOCX, ODT and XLSX; the name is checked (letters, digits, dots, dashes; one known extension) and the
content must start as its kind does (``%PDF-`` or a ZIP header): a file is stored, never executed or read
further. At most :data:`MAX_BYTES` per file and :data:`MAX_FILES` files in the folder.
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.core.output import write_atomic
from generator.errors import UsageError

__all__ = ["EXTENSIONS", "MAX_BYTES", "MAX_FILES", "check_name", "store"]

MAX_BYTES = 20 * 1024 * 1024
MAX_FILES = 50
#: Extension → how such a file starts.
EXTENSIONS = {".pdf": b"%PDF-", ".docx": b"PK\x03\x04", ".odt": b"PK\x03\x04", ".xlsx": b"PK\x03\x04"}
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,80}(\.[A-Za-z0-9_-]{1,40}){0,3}\.(pdf|docx|odt|xlsx)")


def check_name(name: str) -> str:
    """The file name as stored; a Dutch :class:`UsageError` for anything else."""
    if not _NAME.fullmatch(name):
        raise UsageError(
            f"'{name[:80]}' is geen geschikte bestandsnaam: gebruik letters, cijfers, streepjes en één van "
            ".pdf, .docx, .odt of .xlsx (zonder spaties)"
        )
    return name


def store(folder: Path, name: str, data: bytes) -> Path:
    """Write ``data`` as ``folder/name`` (atomically; an existing file with that name is not replaced)."""
    check_name(name)
    if len(data) > MAX_BYTES:
        raise UsageError(f"het bestand is te groot (hoogstens {MAX_BYTES // (1024 * 1024)} MB)")
    if not data.startswith(EXTENSIONS[Path(name).suffix.lower()]):
        raise UsageError(f"'{name}' is geen {Path(name).suffix.lower()[1:].upper()}-bestand")
    if folder.is_symlink():
        raise UsageError("de map bijlagen/ is een koppeling; de editor schrijft daar niet")
    folder.mkdir(exist_ok=True)
    if len([p for p in folder.iterdir() if p.is_file()]) >= MAX_FILES:
        raise UsageError(f"de map bijlagen/ heeft al {MAX_FILES} bestanden")
    target = folder / name
    if target.exists() or target.is_symlink():
        raise UsageError(f"bijlagen/{name} bestaat al; kies een andere naam")
    write_atomic(target, data)
    return target
