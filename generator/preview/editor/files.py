"""The files an editor request may name, and the key paths inside them.

A request names a file relative to the dossier (``voorstel.yaml``, ``gemeenten/leusden.yaml``, or the registry
``../gemeenten.yaml``) and a key path (``beslispunten.0``, ``waarden.bedrag``). Both are checked against fixed
patterns before anything touches the disk: no other file can be named, and a link that leads out of the dossier
is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import UsageError
from generator.sources.layout import OVERLAY_DIR, PROPOSAL_FILE, REGISTRY_FILE
from generator.sources.loader import load_yaml_text
from generator.sources.slugs import SLUG_RE

__all__ = ["REGISTRY", "DossierFiles", "KeyPath", "parse_name"]

KeyPath = tuple[str | int, ...]

#: The registry as a request names it: one folder up from the dossier.
REGISTRY = f"../{REGISTRY_FILE}"

_STEP = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}|[0-9]{1,4}")
_OVERLAY = re.compile(rf"{OVERLAY_DIR}/([a-z0-9][a-z0-9-]*)\.yaml")


def parse_name(name: str) -> KeyPath:
    """``beslispunten.0`` → ("beslispunten", 0); refuses anything but short keys and list positions."""
    steps = name.split(".")
    if not name or len(steps) > 6 or not all(_STEP.fullmatch(step) for step in steps):
        raise UsageError(f"'{name[:80]}' is geen veld dat de editor kent")
    if steps[0].isdigit():
        raise UsageError(f"'{name[:80]}' is geen veld dat de editor kent")
    return tuple(int(step) if step.isdigit() else step for step in steps)


@dataclass(frozen=True, slots=True)
class DossierFiles:
    """The editable files of one dossier (a resolved path)."""

    dossier: Path

    @property
    def attachments(self) -> Path:
        return self.dossier / "bijlagen"

    def path(self, bestand: str) -> Path:
        """The real path of ``bestand``; a :class:`UsageError` for any name outside the fixed patterns."""
        if bestand == PROPOSAL_FILE:
            path = self.dossier / PROPOSAL_FILE
            root = self.dossier
        elif bestand == REGISTRY:
            path = self.dossier.parent / REGISTRY_FILE
            root = self.dossier.parent
        else:
            match = _OVERLAY.fullmatch(bestand)
            if match is None or not SLUG_RE.fullmatch(match.group(1)):
                raise UsageError(f"'{bestand[:80]}' is geen bestand van dit dossier")
            path = self.dossier / OVERLAY_DIR / f"{match.group(1)}.yaml"
            root = self.dossier
        if path.is_symlink() or not path.parent.resolve().is_relative_to(root):
            raise UsageError(f"'{bestand}' wijst buiten het dossier; de editor schrijft daar niet")
        return path

    def overlay(self, slug: str) -> str:
        return f"{OVERLAY_DIR}/{slug}.yaml"

    def read(self, bestand: str) -> tuple[Any, str]:
        """(plain data, version) of ``bestand``; data is None for a file that is missing or does not parse."""
        from generator.editing import read_version
        from generator.errors import GeneratorError

        text, version = read_version(self.path(bestand))
        if not text.strip():
            return None, version
        try:
            data, _ = load_yaml_text(text, bestand)
        except GeneratorError:
            return None, version
        return data, version
