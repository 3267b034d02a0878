"""Writing into a dossier: the one place that changes a clerk's YAML files (DESIGN §7, "the way back").

The editor, ``import``, ``herzie`` and ``bijwerken`` all change data files through :mod:`.yamlfile`: minimal edits
that keep comments, key order, quoting and every untouched line byte for byte, written atomically, with a
conflict check against the version the caller read. Nothing else writes into a dossier.
"""

from __future__ import annotations

from generator.editing.yamlfile import (
    ABSENT,
    ConflictError,
    Delete,
    Edit,
    Insert,
    Move,
    Set,
    apply_edits,
    edit_text,
    read_version,
    value_at,
    version_of,
)

__all__ = [
    "ABSENT",
    "ConflictError",
    "Delete",
    "Edit",
    "Insert",
    "Move",
    "Set",
    "apply_edits",
    "edit_text",
    "read_version",
    "value_at",
    "version_of",
]
