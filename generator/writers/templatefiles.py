"""Which files below ``templates/`` a writer may read: the one containment rule, without WeasyPrint.

Why a module of its own: the HTML writer needs the rule for a logo and house styles, and must not pay the
half second that ``import weasyprint`` costs; the PDF writer's URL fetcher applies the same rule to URLs.
The order matters: resolve symlinks and ``..`` first, then check that the real path is inside templates/.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from generator.errors import RenderError

__all__ = ["resolve_template_file", "template_file_from_url"]


def resolve_template_file(root: Path, relative: str) -> Path:
    """The real path of ``relative`` below ``root``, or :class:`RenderError` when it escapes or is missing.

    Used for files named in the IR (a logo) and by the fetcher, so both follow the same rule.
    """
    base = root.resolve()
    candidate = Path(relative)
    if candidate.is_absolute():
        raise RenderError(f"bestand '{relative}' moet een pad binnen templates/ zijn, geen absoluut pad")
    return _inside(base, base / candidate, shown=relative)


def template_file_from_url(root: Path, url: str) -> Path:
    """The file a ``file:`` URL points at, if it lies below ``root``; otherwise :class:`RenderError`."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme != "file":
        shown = f"{scheme}:" if scheme else "een relatieve verwijzing"
        raise RenderError(
            f"bron '{_short(url)}' geweigerd: alleen bestanden uit templates/ zijn toegestaan (niet {shown})"
        )
    if parts.netloc not in ("", "localhost"):
        raise RenderError(f"bron '{_short(url)}' geweigerd: bestanden op een andere computer zijn niet toegestaan")
    path = Path(url2pathname(unquote(parts.path)))
    if not path.is_absolute():
        raise RenderError(f"bron '{_short(url)}' geweigerd: geen absoluut bestandspad")
    return _inside(root.resolve(), path, shown=url)


def _inside(base: Path, path: Path, *, shown: str) -> Path:
    """Resolve symlinks and ``..`` first, then check containment: the order is what makes it safe."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        raise RenderError(f"bestand '{_short(shown)}' niet gevonden in templates/") from exc
    if not real.is_relative_to(base):
        raise RenderError(f"bron '{_short(shown)}' geweigerd: het bestand ligt buiten templates/")
    if not real.is_file():
        raise RenderError(f"bron '{_short(shown)}' geweigerd: geen gewoon bestand")
    return real


def _short(text: str, limit: int = 120) -> str:
    """Keep messages readable when a data file contains a very long (or hostile) URL."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
