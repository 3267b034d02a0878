"""Opening a Word file someone sent us, safely: every refusal is a Dutch message and nothing is read further.

Why checks before python-docx sees the file: a DOCX is a ZIP of XML parts from outside. A file can be no DOCX
at all, damaged, password protected (then it is an OLE container, not a ZIP), macro-enabled (.docm), far too
large, a ZIP bomb (a few kilobytes that unpack to gigabytes) or XML with entity declarations (the billion
laughs). Each is refused here by looking at the container and the part headers only; python-docx (with lxml,
which resolves no external entities) reads the file only after that.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError

from generator.errors import GeneratorError, display_path

__all__ = ["MAX_FILE", "MAX_PART", "MAX_TOTAL", "ImportError_", "open_docx"]

#: A council proposal with its images is a few megabytes; a file larger than this is not one.
MAX_FILE = 50 * 1024 * 1024
#: One unpacked XML part, and all parts together: far above any real proposal, far below a ZIP bomb.
MAX_PART = 100 * 1024 * 1024
MAX_TOTAL = 300 * 1024 * 1024
#: How many times larger than its packed size a part may unpack (real XML packs 5 to 20 times).
MAX_RATIO = 200
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted DOCX, or an old .doc
_DOCTYPE_RE = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_MACRO = "application/vnd.ms-word.document.macroEnabled.main+xml"


class ImportError_(GeneratorError):
    """A Word file that cannot be imported: the message says why, in Dutch."""


def open_docx(path: Path) -> Any:
    """The python-docx document of ``path`` after every check above; raises :class:`ImportError_`."""
    shown = display_path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE:
            megabytes = size // (1024 * 1024)
            raise ImportError_(f"{shown}: bestand van {megabytes} MB; hooguit {MAX_FILE // (1024 * 1024)} MB")
        data = path.read_bytes()
    except OSError as exc:
        raise ImportError_(f"{shown}: kan het bestand niet lezen ({exc.strerror or exc})") from exc
    return open_bytes(data, shown)


def open_bytes(data: bytes, shown: str) -> Any:
    """:func:`open_docx` for bytes already read (``shown`` names the file in messages)."""
    if len(data) > MAX_FILE:
        raise ImportError_(f"{shown}: bestand te groot; hooguit {MAX_FILE // (1024 * 1024)} MB")
    if data.startswith(_OLE_MAGIC):
        raise ImportError_(
            f"{shown}: het bestand is met een wachtwoord beveiligd of een oud Word-bestand (.doc); "
            "sla het in Word op als .docx zonder wachtwoord en importeer opnieuw"
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportError_(f"{shown}: dit is geen Word-bestand (.docx); sla het in Word op als .docx")
    if _is_odt(data):
        return open_bytes(_odt_to_docx(data, shown), shown)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_archive(archive, shown)
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as exc:
        raise ImportError_(f"{shown}: het bestand is beschadigd ({exc}); sla het opnieuw op in Word") from exc
    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ImportError_(f"{shown}: het bestand is beschadigd of geen Word-document ({exc})") from exc
    except Exception as exc:  # lxml's XMLSyntaxError and friends: a damaged part
        raise ImportError_(f"{shown}: een onderdeel van het bestand is beschadigd ({exc})") from exc


_ODT = b"application/vnd.oasis.opendocument.text"


def _is_odt(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "mimetype" in archive.namelist() and archive.read("mimetype").strip() == _ODT
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError):
        return False


def _odt_to_docx(data: bytes, shown: str) -> bytes:
    """An ODT (LibreOffice's own format) read the same way: checked like a DOCX, then saved as DOCX by
    LibreOffice itself (bookmarks and document properties survive), in a private folder and profile."""
    import shutil
    import subprocess
    import tempfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        _check_parts(archive, shown)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ImportError_(
            f"{shown}: een ODT lezen vraagt LibreOffice (soffice); sla het op als .docx of installeer LibreOffice"
        )
    with tempfile.TemporaryDirectory(prefix="raadsvoorstel-odt-") as folder:
        source = Path(folder) / "document.odt"
        source.write_bytes(data)
        try:
            subprocess.run(
                [soffice, "--headless", f"-env:UserInstallation=file://{folder}/profiel", "--convert-to",
                 "docx:MS Word 2007 XML", "--outdir", folder, str(source)],
                check=True, capture_output=True, timeout=300,
            )  # fmt: skip
            return (Path(folder) / "document.docx").read_bytes()
        except (OSError, subprocess.SubprocessError) as exc:
            raise ImportError_(f"{shown}: LibreOffice kon het ODT-bestand niet omzetten; sla het op als .docx") from exc


def _check_parts(archive: zipfile.ZipFile, shown: str) -> None:
    """Sizes (zip bomb) and XML headers (entities) of every part of a package."""
    total = 0
    for info in archive.infolist():
        total += info.file_size
        packed = max(info.compress_size, 1)
        if info.file_size > MAX_PART or total > MAX_TOTAL or info.file_size > packed * MAX_RATIO > 1024 * 1024:
            raise ImportError_(
                f"{shown}: onderdeel '{info.filename}' pakt uit tot {info.file_size} bytes; "
                "dit lijkt een zip-bom en wordt niet gelezen"
            )
    for name in archive.namelist():
        if name.endswith((".xml", ".rels")):
            with archive.open(name) as part:
                head = part.read(MAX_PART + 1)
            if _DOCTYPE_RE.search(head):
                raise ImportError_(
                    f"{shown}: onderdeel '{name}' bevat een DOCTYPE of entiteiten; die worden om veiligheidsredenen "
                    "niet gelezen"
                )


def _check_archive(archive: zipfile.ZipFile, shown: str) -> None:
    names = archive.namelist()
    if "[Content_Types].xml" not in names:
        raise ImportError_(f"{shown}: dit is geen Word-bestand (.docx): de inhoudsopgave van het pakket ontbreekt")
    _check_parts(archive, shown)
    types = archive.read("[Content_Types].xml")
    if _MACRO.encode() in types or any(n.lower().endswith("vbaproject.bin") for n in names):
        raise ImportError_(
            f"{shown}: het bestand bevat macro's (.docm); sla het in Word op als gewoon Word-document (.docx)"
        )
    if _MAIN.encode() not in types:
        raise ImportError_(f"{shown}: dit is geen Word-document (geen hoofdtekst gevonden)")
