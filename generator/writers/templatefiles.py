"""Where writers find their template files, and the one rule for which files they may read.

Templates are looked up file by file in a search path, first match wins:

1. the folder given with ``--sjablonen DIR`` (if any);
2. the project's own ``templates/`` folder, beside its ``proposals/`` folder (if it exists);
3. the defaults that ship inside the package (``generator/templates/``).

So a municipality or region overrides just the file it wants (its ``huisstijl.css``, a different
``reference.docx``) and keeps every other default, and an installed package works without any project files.

Why a module of its own, without WeasyPrint: the HTML and DOCX writers need the rule too and must not pay the
half second that ``import weasyprint`` costs; the PDF writer's URL fetcher applies the same rule to URLs.
The order inside the rule matters: resolve symlinks and ``..`` first, then check that the real path lies in
one of the roots. A file that is not found is a :class:`RenderError` naming the file, in every format.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.errors import RenderError, TemplateError, display_path

__all__ = ["PACKAGE_TEMPLATES", "Templates", "read_text"]


def read_text(path: Path) -> str:
    """A template file (HTML, CSS) as text; one that is not UTF-8 is a :class:`TemplateError` naming its line.

    A clerk's editor may save a house stylesheet in Windows-1252; Python's ``UnicodeDecodeError`` is a
    ``ValueError`` the CLI would call an internal error.
    """
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise TemplateError(
            f"sjabloon {display_path(path)}:{line}: geen UTF-8-tekst (byte {exc.start + 1}); sla het op als UTF-8"
        ) from exc


def _package_templates() -> Path:
    """The defaults shipped in the package; a wheel installs them as ordinary files next to the modules."""
    root = resources.files("generator").joinpath("templates")
    return Path(str(root))


PACKAGE_TEMPLATES = _package_templates()


@dataclass(frozen=True, slots=True)
class Templates:
    """A search path of template folders, first match wins; the last root is normally the package's."""

    roots: tuple[Path, ...] = (PACKAGE_TEMPLATES,)

    @classmethod
    def for_project(cls, project: Path | None, extra: Path | None = None) -> Templates:
        """``extra`` (``--sjablonen``), then ``<project>/templates`` if it exists, then the package defaults."""
        roots: list[Path] = []
        if extra is not None:
            roots.append(extra)
        if project is not None and (project / "templates").is_dir():
            roots.append(project / "templates")
        roots.append(PACKAGE_TEMPLATES)
        unique = dict.fromkeys(root.resolve() for root in roots)
        return cls(tuple(unique))

    def find(self, relative: str) -> Path:
        """The real path of ``relative`` in the first root that has it, or :class:`RenderError`."""
        found = self.find_optional(relative)
        if found is None:
            raise RenderError(f"sjabloonbestand '{_short(relative)}' niet gevonden (gezocht in: {self.describe()})")
        return found

    def find_optional(self, relative: str) -> Path | None:
        """Like :meth:`find`, but None when no root has the file (refusals still raise)."""
        candidate = Path(relative)
        if candidate.is_absolute() or not relative:
            raise RenderError(f"bestand '{_short(relative)}' moet een pad binnen de sjablonen zijn, geen absoluut pad")
        for root in self.roots:
            if (root / candidate).exists() or (root / candidate).is_symlink():
                return _inside(root.resolve(), root / candidate, shown=relative)
        return None

    def from_url(self, url: str) -> Path:
        """The file a ``file:`` URL points at, looked up again by its relative path (so overrides apply)."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme != "file":
            shown = f"{scheme}:" if scheme else "een relatieve verwijzing"
            raise RenderError(
                f"bron '{_short(url)}' geweigerd: alleen bestanden uit de sjablonen zijn toegestaan (niet {shown})"
            )
        if parts.netloc not in ("", "localhost"):
            raise RenderError(f"bron '{_short(url)}' geweigerd: bestanden op een andere computer zijn niet toegestaan")
        from urllib.request import url2pathname  # here: importing urllib.request costs every command 12 ms

        path = Path(url2pathname(unquote(parts.path)))
        if not path.is_absolute():
            raise RenderError(f"bron '{_short(url)}' geweigerd: geen absoluut bestandspad")
        for root in self.roots:
            base = root.resolve()
            if path.is_relative_to(base):
                real = _inside(base, path, shown=url)
                return self.find(real.relative_to(base).as_posix())
        raise RenderError(f"bron '{_short(url)}' geweigerd: het bestand ligt buiten de sjablonen")

    def files(self) -> dict[str, Path]:
        """Every template file (relative POSIX path → the file that wins), editor and hidden files left out."""
        found: dict[str, Path] = {}
        for root in reversed(self.roots):
            if not root.is_dir():
                continue
            for path in sorted(root.rglob("*")):
                rel = path.relative_to(root)
                if path.is_file() and not any(p.startswith(".") or p.endswith("~") or p == "__pycache__"
                                              for p in rel.parts):
                    found[rel.as_posix()] = path
        return dict(sorted(found.items()))

    def origin(self, path: Path) -> Path:
        """The root a found file belongs to (for the ``sjablonen`` listing)."""
        for root in self.roots:
            if path.is_relative_to(root):
                return root
        raise ValueError(path)

    def describe(self) -> str:
        return ", ".join(str(root) for root in self.roots)


def _inside(base: Path, path: Path, *, shown: str) -> Path:
    """Resolve symlinks and ``..`` first, then check containment: the order is what makes it safe."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        raise RenderError(f"sjabloonbestand '{_short(shown)}' niet gevonden") from exc
    if not real.is_relative_to(base):
        raise RenderError(f"bron '{_short(shown)}' geweigerd: het bestand ligt buiten de sjablonen")
    if not real.is_file():
        raise RenderError(f"bron '{_short(shown)}' geweigerd: geen gewoon bestand")
    return real


def _short(text: str, limit: int = 120) -> str:
    """Keep messages readable when a data file contains a very long (or hostile) URL."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
