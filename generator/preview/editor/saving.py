"""A save request from the editor page → :mod:`generator.editing` edits of one file, applied with its version.

The page sends, per file, the changes since it loaded it: ``zet`` (a value; an empty text removes the key, so a
draft never holds empty strings), ``wis`` (remove a key or list item), ``voeg_in`` (a list item) and
``verplaats`` (reorder a list). Values are JSON: text, whole numbers, lists and small mappings. The version the
page read travels as ``If-Match``; a file changed on disk since is not written (:class:`ConflictError`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from generator.editing import Delete, Edit, Insert, Move, Set, apply_edits, value_at
from generator.errors import UsageError
from generator.preview.editor.files import REGISTRY, KeyPath, parse_name

__all__ = ["MAX_CHANGES", "apply", "edits_for", "key_order"]

MAX_CHANGES = 200
_ROLES = ("burgemeester", "secretaris", "griffier", "voorzitter")


@cache
def key_order() -> tuple[str, ...]:
    """The order of the top-level keys of voorstel.yaml and the overlays: the model's (sections in order)."""
    from generator.model.proposal import Voorstel

    return tuple(Voorstel.model_fields)


def _value(raw: object, depth: int = 0) -> object:
    """A JSON value the page may send: text, a whole number, a list or a mapping of those (bounded)."""
    if depth > 4:
        raise UsageError("de waarde is te diep genest")
    if isinstance(raw, str):
        return raw.replace("\r\n", "\n")
    if isinstance(raw, bool):
        raise UsageError("een waarde is tekst of een getal")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, list):
        return [_value(item, depth + 1) for item in raw]
    if isinstance(raw, dict):
        out: dict[str, object] = {}
        for key, item in raw.items():
            parse_name(str(key))
            out[str(key)] = _value(item, depth + 1)
        return out
    raise UsageError("een waarde is tekst, een getal, een lijst of een tabel")


def _index(raw: object) -> int:
    if not isinstance(raw, int) or isinstance(raw, bool) or not 0 <= raw < 10_000:
        raise UsageError("een positie in een lijst is een geheel getal")
    return raw


def _is_empty(value: object) -> bool:
    return isinstance(value, str) and not value.strip()


def edits_for(
    bestand: str, changes: Sequence[Mapping[str, Any]], current: object, today: dt.date | None = None
) -> list[Edit]:
    """The edits for ``changes`` to ``bestand``, whose data is ``current`` now (plain data).

    A new status of a municipality also gets its dated step in ``historie`` (``today``), as the status rules ask:
    the clerk chooses "aangeboden", the file says when.
    """
    if len(changes) > MAX_CHANGES:
        raise UsageError(f"te veel wijzigingen in één keer (hoogstens {MAX_CHANGES})")
    order = key_order() if bestand != REGISTRY else ()
    edits: list[Edit] = []
    for change in changes:
        kind = change.get("soort")
        path = parse_name(str(change.get("naam", "")))
        if kind == "zet":
            value = _value(change.get("waarde"))
            if _is_empty(value):
                edits.append(Delete(path))
                continue
            edits.append(Set(path, value, order))
            if bestand.startswith("gemeenten/") and path == ("status",):
                edits.extend(_history_step(str(value), current, today or dt.date.today(), order))
            official = bestand == REGISTRY and len(path) == 4 and path[0] == "gemeenten" and path[2] in _ROLES
            if official and path[3] == "naam" and value_at(current, path[:3]) is None:  # a new official: the title too
                edits.append(Set((*path[:3], "titel"), str(path[2])))
        elif kind == "wis":
            edits.append(_emptied(path, current) or Delete(path))
        elif kind == "voeg_in":
            value = _value(change.get("waarde"))
            existing = value_at(current, path)
            if isinstance(existing, list):
                edits.append(Insert(path, _index(change.get("index", len(existing))), value))
            else:  # 'nvt' or missing: the list starts now
                edits.append(Set(path, [value], order))
        elif kind == "verplaats":
            edits.append(Move(path, _index(change.get("van")), _index(change.get("naar"))))
        else:
            raise UsageError(f"onbekende soort wijziging '{str(kind)[:40]}'")
    return edits


def _history_step(status: str, current: object, today: dt.date, order: tuple[str, ...]) -> list[Edit]:
    """The step to ``status`` at the end of ``historie`` (the list made when missing); none if it is no change."""
    if status == (value_at(current, ("status",)) or "concept"):
        return []
    step = {"status": status, "datum": today.isoformat()}
    history = value_at(current, ("historie",))
    if isinstance(history, list):
        return [Insert(("historie",), len(history), step)]
    return [Set(("historie",), [step], order)]


def _emptied(path: KeyPath, current: object) -> Delete | None:
    """The last local change of a text taken away: its list goes too, and ``lokaal:`` when nothing is left."""
    if len(path) != 3 or path[0] != "lokaal" or not isinstance(path[2], int):
        return None
    items = value_at(current, path[:2])
    if not isinstance(items, list) or len(items) != 1:
        return None
    local = value_at(current, path[:1])
    return Delete(path[:1]) if isinstance(local, dict) and len(local) == 1 else Delete(path[:2])


def apply(path: Path, bestand: str, changes: Sequence[Mapping[str, Any]], current: object, version: str) -> str:
    """Apply ``changes`` to the file at ``path`` if it is still at ``version``; returns the new version."""
    header = ""
    if bestand.startswith("gemeenten/"):
        header = "# Wat voor deze gemeente anders is dan de gedeelde tekst in ../voorstel.yaml.\n"
    return apply_edits(path, edits_for(bestand, changes, current), expected=version, header=header)
