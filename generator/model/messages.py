"""Pydantic validation errors → Dutch problems at ``file:line:col`` with the field path.

Why here: pydantic's messages are English and its ``loc`` includes union-member tags such as
``'list[str]'``; a clerk needs the key path they wrote and a sentence saying what to change.
"""

from __future__ import annotations

import difflib
import typing
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from generator.errors import Location, Problem
from generator.model import dates

PathKey = str | int
Path = tuple[PathKey, ...]
Locate = Callable[[Path], Location]


def data_path(loc: Sequence[PathKey], data: Any) -> Path:
    """The part of pydantic's ``loc`` that indexes into ``data``; union tags and the like are dropped."""
    path: list[PathKey] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str):
            if part in node:
                path.append(part)
                node = node[part]
            elif not _is_tag(part):
                path.append(part)  # a missing key: keep it so the message can name it
                node = None
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
    return tuple(path)


def _is_tag(part: str) -> bool:
    return any(ch in part for ch in "[]()") or part in {"str", "int", "date", "decimal", "list", "dict"}


def dotted(path: Iterable[PathKey]) -> str:
    """('argumenten', 0, 'kop') → 'argumenten[1].kop' (1-based, as a clerk counts)."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += ("." if out else "") + part
    return out


def _model_at(model: type[BaseModel], path: Path) -> type[BaseModel] | None:
    """The pydantic model class that holds the last key of ``path`` (for 'did you mean' suggestions).

    List indexes and the keys of a mapping field (``gemeenten.<slug>`` in the registry) are steps into the
    field's values, not fields themselves.
    """
    current: Any = model
    in_mapping = False
    for part in path[:-1]:
        if isinstance(part, int):
            continue
        if in_mapping:
            in_mapping = False
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return None
        in_mapping = _is_mapping(field.annotation)
        current = _inner_model(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _is_mapping(annotation: Any) -> bool:
    """Whether ``annotation`` is ``dict[...]`` (possibly inside ``Annotated`` or ``X | None``)."""
    if typing.get_origin(annotation) is dict:
        return True
    return any(_is_mapping(arg) for arg in typing.get_args(annotation))


def _inner_model(annotation: Any) -> Any:
    """Find a BaseModel inside list[...] / X | None / dict[str, X] annotations."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    meta = getattr(annotation, "__origin__", None)
    return _inner_model(meta) if meta is not None and meta is not annotation else None


def field_names(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def suggest(word: str, options: Iterable[str]) -> str | None:
    matches = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return matches[0] if matches else None


def message(err: ErrorDetails, path: Path, model: type[BaseModel]) -> str:
    """A Dutch sentence for one pydantic error."""
    kind = err["type"]
    ctx: dict[str, Any] = dict(err.get("ctx") or {})
    if kind == "extra_forbidden":
        owner = _model_at(model, path)
        key = str(path[-1]) if path else "?"
        hint = suggest(key, field_names(owner)) if owner else None
        tip = f"; bedoelde u '{hint}'?" if hint else "; verwijder het of controleer de spelling"
        return f"onbekend veld '{key}'{tip}"
    if kind == "missing":
        return "dit verplichte veld ontbreekt; voeg het toe (of 'nvt' als het niet van toepassing is)"
    if kind in {"value_error", "assertion_error"}:
        text = str(ctx.get("error", err["msg"]))
        return text.removeprefix("Value error, ")
    if kind in {"date_from_datetime_parsing", "date_parsing"}:
        return dates.why_not(err.get("input", ""))
    simple = {
        "string_type": "verwacht tekst",
        "int_parsing": "verwacht een geheel getal, bijvoorbeeld 3",
        "int_type": "verwacht een geheel getal, bijvoorbeeld 3",
        "int_from_float": "verwacht een geheel getal zonder decimalen",
        "decimal_parsing": "verwacht een bedrag of getal zoals 54400 of 54400.50 (punt als decimaalteken)",
        "decimal_type": "verwacht een bedrag of getal zoals 54400",
        "date_from_datetime_parsing": "verwacht een datum als JJJJ-MM-DD, bijvoorbeeld 2025-03-12",
        "date_parsing": "verwacht een datum als JJJJ-MM-DD, bijvoorbeeld 2025-03-12",
        "date_type": "verwacht een datum als JJJJ-MM-DD, bijvoorbeeld 2025-03-12",
        "list_type": "verwacht een lijst (regels die beginnen met '- ')",
        "dict_type": "verwacht velden (sleutel: waarde) op de regels eronder",
        "model_type": "verwacht velden (sleutel: waarde) op de regels eronder",
        "model_attributes_type": "verwacht velden (sleutel: waarde) op de regels eronder",
        "none_required": "verwacht geen waarde",
    }
    if kind in simple:
        return simple[kind]
    if kind == "literal_error":
        return f"kies een van: {ctx.get('expected', '')}".replace(" or ", ", ")
    if kind == "too_short":
        return f"te weinig: er is minstens {ctx.get('min_length', 1)} nodig"
    if kind == "string_too_long":
        count = len(err.get("input", "")) if isinstance(err.get("input"), str) else "?"
        return f"te lang: {count} tekens; hooguit {ctx.get('max_length')} op deze plek (één regel)"
    if kind == "too_long":
        return f"te veel: hoogstens {ctx.get('max_length')} toegestaan"
    if kind in {"greater_than_equal", "greater_than"}:
        return f"moet minstens {ctx.get('ge', ctx.get('gt'))} zijn"
    if kind in {"less_than_equal", "less_than"}:
        return f"mag hoogstens {ctx.get('le', ctx.get('lt'))} zijn"
    if kind == "string_pattern_mismatch":
        return f"heeft niet de juiste vorm (patroon {ctx.get('pattern')})"
    return f"ongeldige waarde ({err['msg']})"


def problems_from(
    exc: ValidationError, data: Any, model: type[BaseModel], locate: Locate, locate_key: Locate | None = None
) -> list[Problem]:
    """Every error of ``exc`` as a Problem; one per field (union members repeat the same field)."""
    seen: set[Path] = set()
    out: list[Problem] = []
    for err in exc.errors(include_url=False):
        path = data_path(err["loc"], data)
        if path in seen:
            continue
        seen.add(path)
        # A bad or unknown key is reported where the key is written (its value may start lines further down).
        on_key = "[key]" in err["loc"] or err["type"] == "extra_forbidden"
        where = locate_key(path) if on_key and locate_key else locate(path)
        out.append(Problem(where, dotted(path), message(err, path, model)))
    return out
