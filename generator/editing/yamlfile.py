"""Minimal, atomic, conflict-checked edits of one YAML data file (ruamel.yaml round trip).

Why round trip and not ``dump``: clerks' files carry comments, a chosen key order, block scalars and quoting;
a save from the editor or an import must change only the lines of the fields it changes, so ``git diff`` shows
exactly the clerk's edit. ruamel's round-trip mode keeps all of that; two more things make the guarantee hold:

- every plain scalar is read and written as a string (no implicit resolvers), as :mod:`generator.sources` reads
  them, so ``2025-06-03`` or ``54400`` are written back bare, never quoted or retyped;
- the edited text is spliced into the original: the changed lines are found by comparing ruamel's output of the
  file before and after the edits, and only those hunks replace lines of the original. A file whose untouched
  lines ruamel would write differently keeps those lines as they were; when a change cannot be placed safely the
  edit is refused, never written half.

A version is the SHA-256 of the file's bytes (:data:`ABSENT` for a missing file): a caller reads the version with
the data and passes it back, and a file changed on disk in between is not overwritten (:class:`ConflictError`).
"""

from __future__ import annotations

import difflib
import hashlib
import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    PlainScalarString,
    ScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.tokens import CommentToken

from generator.core.output import write_atomic
from generator.errors import DataError, GeneratorError, Location, Problem, display_path, os_reason

KeyPath = tuple[str | int, ...]

#: The version of a file that does not exist (yet).
ABSENT = "afwezig"


class ConflictError(GeneratorError):
    """The file changed on disk since the caller read it: nothing was written."""


@dataclass(frozen=True)
class Set:
    """Give the value at ``path`` a new value; missing mappings on the way are made. A new key of a mapping goes
    before the first existing key that follows it in ``order`` (the data's own order, e.g. the section table),
    else at the end."""

    path: KeyPath
    value: object
    order: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Delete:
    """Remove the key or list item at ``path`` (nothing happens when it is not there)."""

    path: KeyPath


@dataclass(frozen=True)
class Insert:
    """Insert ``value`` into the list at ``path`` before position ``index`` (``len`` appends); a missing list is
    made."""

    path: KeyPath
    index: int
    value: object


@dataclass(frozen=True)
class Move:
    """Move the item at position ``source`` of the list at ``path`` to position ``target``."""

    path: KeyPath
    source: int
    target: int


Edit = Set | Delete | Insert | Move

_locks: dict[Path, threading.Lock] = {}
_locks_guard = threading.Lock()


def value_at(data: Any, path: KeyPath) -> Any:
    """The value at ``path`` in plain data as the loader gives it (dicts, lists, strings), or None when a step is
    missing: how the editor and the import read a field before they change it."""
    for step in path:
        if isinstance(data, dict) and isinstance(step, str):
            data = data.get(step)
        elif isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            data = data[step]
        else:
            return None
    return data


def version_of(data: bytes | None) -> str:
    """The version of a file's content: its SHA-256, or :data:`ABSENT` when there is no file."""
    return ABSENT if data is None else hashlib.sha256(data).hexdigest()


def read_version(path: Path) -> tuple[str, str]:
    """The text of a data file and its version (``""`` and :data:`ABSENT` when it does not exist)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return "", ABSENT
    except OSError as exc:
        message = f"kan het bestand niet lezen ({os_reason(exc)})"
        raise DataError([Problem(Location(display_path(path)), "", message)]) from exc
    return raw.decode("utf-8"), version_of(raw)


class _StringsResolver(VersionedResolver):
    """Plain scalars are strings, only an empty one (or ``~``, ``null``) is null: how generator.sources reads."""

    @property
    def versioned_resolver(self) -> Any:
        found = super().versioned_resolver
        null = "tag:yaml.org,2002:null"
        return {first: [r for r in rules if r[0] == null] for first, rules in found.items()}


def _yaml(mapping: int, sequence: int, offset: int) -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.Resolver = _StringsResolver
    yaml.preserve_quotes = True
    yaml.width = 1 << 16  # never fold a long line the clerk wrote on one line
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


#: Indentations tried (mapping, sequence, dash offset), the house style first: ``key:`` then ``  - item``.
_INDENTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0), (3, 5, 2))


def _load(text: str) -> tuple[Any, YAML]:
    """The round-trip data of ``text`` and a YAML instance that writes it with the file's own indentation: the
    first of :data:`_INDENTS` that writes the unchanged file back as it is, else the one closest to it."""
    data, yaml, _ = _load_exact(text)
    return data, yaml


def _load_exact(text: str) -> tuple[Any, YAML, bool]:
    """As :func:`_load`, and whether that YAML instance writes the unchanged data back as ``text`` exactly."""
    if not text.strip():
        return None, _yaml(*_INDENTS[0]), False
    best: tuple[int, Any, YAML] | None = None
    for indents in _INDENTS:
        yaml = _yaml(*indents)
        data = yaml.load(text)
        if not isinstance(data, CommentedMap | CommentedSeq):
            return data, yaml, False
        written = _dump(yaml, data)
        if written == text:
            return data, yaml, True
        differing = sum(1 for op in difflib.ndiff(text.splitlines(), written.splitlines()) if op[:1] in "+-")
        if best is None or differing < best[0]:
            best = (differing, yaml.load(text), yaml)
    assert best is not None
    return best[1], best[2], False


def _text_node(value: str, old: object = None) -> object:
    """A string as the clerk would write it: a block scalar (``|``) for text with lines, the old quoting kept."""
    if "\n" in value.rstrip("\n"):
        return LiteralScalarString(value.rstrip("\n") + "\n")
    value = value.rstrip("\n")
    if isinstance(old, str) and (not old.strip() or old.strip().upper().startswith("INVULLEN")):
        return PlainScalarString(value)  # the quotes were the placeholder's (ruamel keeps a plain str quoted)
    for style in (DoubleQuotedScalarString, SingleQuotedScalarString):
        if isinstance(old, style):
            return style(value)
    return value


def _node(value: object, old: object = None) -> object:
    """Plain data (str, int, None, list, dict) as round-trip nodes; an old list's flow style (``[a, b]``) stays."""
    if isinstance(value, str):
        return _text_node(value, old)
    if isinstance(value, bool):  # before int: YAML booleans are words here
        return "ja" if value else "nee"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict):
        mapping = CommentedMap()
        for key, item in value.items():
            mapping[str(key)] = _node(item)
        return mapping
    if isinstance(value, list | tuple):
        seq = CommentedSeq(_node(item) for item in value)
        if isinstance(old, CommentedSeq) and old.fa.flow_style():
            seq.fa.set_flow_style()
        elif (not isinstance(old, CommentedSeq) or not old) and value and all(_is_short(item) for item in value):
            seq.fa.set_flow_style()  # [1, 8, 16], [amersfoort, baarn]: short words read best on one line
        return seq
    if value is None:
        return None
    raise TypeError(f"kan {type(value).__name__} niet als YAML-waarde schrijven")


def _is_short(item: object) -> bool:
    return (isinstance(item, int) and not isinstance(item, bool)) or (
        isinstance(item, str) and len(item) <= 24 and item.replace("-", "").replace("_", "").isalnum()
    )


def _container(root: CommentedMap, path: KeyPath, create: type | None) -> Any:
    """The container at ``path``; with ``create`` (CommentedMap or CommentedSeq) missing steps are made."""
    node: Any = root
    for depth, step in enumerate(path):
        nxt = _get(node, step)
        if nxt is None:
            if create is None:
                return None
            last = depth == len(path) - 1
            made: Any = create() if last else (CommentedSeq() if isinstance(path[depth + 1], int) else CommentedMap())
            _put(node, step, made, ())
            nxt = made
        node = nxt
    return node


def _get(node: Any, step: str | int) -> Any:
    if isinstance(node, CommentedMap) and isinstance(step, str):
        return node.get(step)
    if isinstance(node, CommentedSeq) and isinstance(step, int) and -len(node) <= step < len(node):
        return node[step]
    return None


def _put(node: Any, step: str | int, value: object, order: tuple[str, ...]) -> None:
    if isinstance(node, CommentedMap) and isinstance(step, str):
        if step in node:
            node[step] = value
            return
        keys = list(node)
        position = _position(keys, step, order)
        node.insert(position, step, value)
        if 0 < position < len(keys):  # the comment lines above the key now after it stay above that key
            _move_comment_lines(node, keys[position - 1], step)
        return
    if isinstance(node, CommentedSeq) and isinstance(step, int):
        if step == len(node):
            node.append(value)
        else:
            node[step] = value
        return
    raise KeyError(step)


def _position(keys: list[Any], key: str, order: tuple[str, ...]) -> int:
    """Where a new ``key`` goes among ``keys``: before the first key that ``order`` puts after it."""
    if key not in order:
        return len(keys)
    rank = {name: i for i, name in enumerate(order)}
    mine = rank[key]
    for index, existing in enumerate(keys):
        if rank.get(existing, -1) > mine:
            return index
    return len(keys)


def _delete(root: CommentedMap, path: KeyPath) -> None:
    parent = _container(root, path[:-1], None)
    step = path[-1]
    if isinstance(parent, CommentedMap) and isinstance(step, str) and step in parent:
        _keep_following_comment(parent, step)
        del parent[step]
    elif isinstance(parent, CommentedSeq) and isinstance(step, int) and -len(parent) <= step < len(parent):
        _delete_item(parent, step % len(parent))


def _keep_following_comment(mapping: CommentedMap, key: str) -> None:
    """ruamel keeps the comment lines above a key with the key before it: when that one goes, its lines go to
    the key before it, so a comment about the next field is not lost."""
    keys = list(mapping)
    index = keys.index(key)
    if index > 0:
        _move_comment_lines(mapping, key, keys[index - 1])


def _move_comment_lines(mapping: CommentedMap, source: str, target: str) -> None:
    """Move the full comment lines after ``source``'s value (not its end-of-line comment) to after ``target``'s."""
    token = mapping.ca.items.get(source, [None, None, None, None])[2]
    if token is None:
        return
    cut = token.value.find("\n")
    rest = token.value[cut + 1 :] if cut >= 0 else ""
    if not rest.strip():
        return
    token.value = token.value[: cut + 1]
    slot = mapping.ca.items.setdefault(target, [None, None, None, None])
    if slot[2] is None:
        slot[2] = CommentToken("\n" + rest, token.start_mark, None)
    else:
        slot[2].value += rest


_BLOCK = (LiteralScalarString, FoldedScalarString)


def _slot(node: CommentedMap | CommentedSeq, key: Any) -> int:
    """Where ruamel keeps the comment lines after a value: slot 2 of a mapping key, slot 0 of a list item."""
    return 2 if isinstance(node, CommentedMap) else 0


def _last_key(node: object) -> Any:
    if isinstance(node, CommentedMap) and node and not node.fa.flow_style():
        return list(node)[-1]
    if isinstance(node, CommentedSeq) and node and not node.fa.flow_style():
        return len(node) - 1
    return None


def _pop_trailing(node: object) -> tuple[CommentToken, bool] | None:
    """Take the comment lines at the very end of a block container (after its last value, however deep), with
    whether that last value is a block scalar (after one, ruamel's comment starts on the next line)."""
    key = _last_key(node)
    if key is None:
        return None
    assert isinstance(node, CommentedMap | CommentedSeq)
    value = node[key]
    found = _pop_trailing(value) if isinstance(value, CommentedMap | CommentedSeq) else None
    if found is not None:
        return found
    slot = node.ca.items.get(key)
    if slot is None or slot[_slot(node, key)] is None:
        return None
    token = slot[_slot(node, key)]
    slot[_slot(node, key)] = None
    return token, isinstance(value, _BLOCK)


def _push_trailing(node: object, found: tuple[CommentToken, bool]) -> bool:
    """Put comment lines taken by :func:`_pop_trailing` at the end of ``node``; False when it has no place."""
    key = _last_key(node)
    if key is None:
        return False
    assert isinstance(node, CommentedMap | CommentedSeq)
    value = node[key]
    if isinstance(value, CommentedMap | CommentedSeq) and _push_trailing(value, found):
        return True
    _set_comment(node, key, found, isinstance(value, _BLOCK))
    return True


def _set_comment(node: CommentedMap | CommentedSeq, key: Any, found: tuple[CommentToken, bool], block: bool) -> None:
    token, was_block = found
    if was_block and not block:
        token.value = "\n" + token.value  # the line after a plain value ends with the comment's first newline
    elif block and not was_block and token.value.startswith("\n"):
        token.value = token.value[1:]
    slot = node.ca.items.setdefault(key, [None, None, None, None])
    if slot[_slot(node, key)] is None:
        slot[_slot(node, key)] = token
    else:
        slot[_slot(node, key)].value += token.value


def _keep_end_comment(parent: Any, key: Any, old: object, new: object) -> None:
    """A value replaced by another: the comment lines that followed the old one follow the new one."""
    if not isinstance(parent, CommentedMap | CommentedSeq):
        return
    if isinstance(old, CommentedMap | CommentedSeq):
        found = _pop_trailing(old)
    else:
        slot = parent.ca.items.get(key)
        token = slot[_slot(parent, key)] if slot is not None else None
        if token is None:
            return
        slot[_slot(parent, key)] = None
        found = (token, isinstance(old, _BLOCK))
    if found is None:
        return
    if not _push_trailing(new, found):
        _set_comment(parent, key, found, isinstance(new, _BLOCK))


def _appended(seq: CommentedSeq) -> None:
    """After an item was appended: the lines after the old last item (a blank line before the next key) stay at
    the list's end. ruamel keeps them with that item, which would put the new item below the blank line."""
    old_last = len(seq) - 2
    if old_last < 0:
        return
    previous = seq[old_last]
    found = _pop_trailing(previous) if isinstance(previous, CommentedMap | CommentedSeq) else None
    if found is None:
        slot = seq.ca.items.get(old_last)
        if slot is None or slot[0] is None:
            return
        found = (slot[0], isinstance(previous, _BLOCK))
        slot[0] = None
    if not _push_trailing(seq[-1], found):
        _set_comment(seq, len(seq) - 1, found, isinstance(seq[-1], _BLOCK))


def _delete_item(seq: CommentedSeq, index: int) -> None:
    """Delete an item; the comment lines after it (ruamel would drop them) go to the item before it, so the lines
    about the next item or the blank line before the next key stay."""
    slot = seq.ca.items.get(index)
    token = slot[0] if slot is not None else None
    gone_block = isinstance(seq[index], _BLOCK)
    del seq[index]  # ruamel moves the comments of the later items up
    before = seq.ca.items.get(index - 1)
    if token is not None and index > 0 and (before is None or before[0] is None):
        if isinstance(seq[index - 1], _BLOCK) != gone_block and token.value.startswith("\n"):
            # after a block scalar ruamel keeps one newline less (the scalar's own line end is the first)
            value = token.value[1:] if isinstance(seq[index - 1], _BLOCK) else "\n" + token.value
            token = CommentToken(value, token.start_mark, None)
        seq.ca.items.setdefault(index - 1, [None, None, None, None])[0] = token


def _apply(root: CommentedMap, edit: Edit) -> None:
    if isinstance(edit, Set):
        if not edit.path:
            raise ValueError("een wijziging heeft een pad nodig")
        parent = _container(root, edit.path[:-1], CommentedMap)
        old = _get(parent, edit.path[-1])
        if old == edit.value and not isinstance(edit.value, list | dict):
            return  # the same value: keep how it was written
        new = _node(edit.value, old)
        if isinstance(old, _BLOCK) and isinstance(new, str) and not isinstance(new, ScalarString):
            new = PlainScalarString(new)  # ruamel would keep a one-line value in the old block style
        if old is not None:
            _keep_end_comment(parent, edit.path[-1], old, new)
        _put(parent, edit.path[-1], new, edit.order)
    elif isinstance(edit, Delete):
        _delete(root, edit.path)
    elif isinstance(edit, Insert):
        seq = _container(root, edit.path, CommentedSeq)
        if not isinstance(seq, CommentedSeq):
            raise KeyError(edit.path)
        index = max(0, min(edit.index, len(seq)))
        seq.insert(index, _node(edit.value))
        if index == len(seq) - 1:
            _appended(seq)
    elif isinstance(edit, Move):
        seq = _container(root, edit.path, None)
        if not isinstance(seq, CommentedSeq) or not (0 <= edit.source < len(seq)) or not (0 <= edit.target < len(seq)):
            raise KeyError(edit.path)
        item = seq.pop(edit.source)
        seq.insert(edit.target, item)


def _dump(yaml: YAML, data: Any) -> str:
    if isinstance(data, CommentedMap) and not data and not data.ca.comment:
        return ""  # ruamel writes an empty mapping as "{}"
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


def edit_text(text: str, edits: Sequence[Edit]) -> str:
    """``text`` (a YAML mapping document) with ``edits`` applied; untouched lines stay byte for byte.

    Raises :class:`ValueError` when a change cannot be placed without touching other lines.
    """
    warm = _take_warm(text)
    data, yaml, exact = (*warm, True) if warm is not None else _load_exact(text)
    if data is None:  # empty, or comment lines only (a new file's header): the data goes below them
        data = CommentedMap()
        for edit in edits:
            _apply(data, edit)
        prefix = text if not text or text.endswith("\n") else text + "\n"
        return prefix + _dump(yaml, data)
    if not isinstance(data, CommentedMap):
        raise ValueError("het bestand is geen mapping (sleutel: waarde) op het hoogste niveau")
    before = text if exact else _dump(yaml, data)  # exact: ruamel writes the unchanged data as the file is
    for edit in edits:
        _apply(data, edit)
    after = _dump(yaml, data)
    if before == text:
        _keep_warm(after, data, yaml)  # ruamel writes this data as ``after`` exactly: the next edit starts here
        return after
    return _splice(text, before, after)


#: The round-trip data of the texts edit_text wrote last (by their SHA-256), so an editor that saves the same file
#: again and again does not parse it each time. An entry is taken out when used: it is never shared or reused
#: after edits that failed halfway.
_WARM: dict[str, tuple[Any, YAML]] = {}
_WARM_MAX = 8
_warm_guard = threading.Lock()


def _take_warm(text: str) -> tuple[Any, YAML] | None:
    with _warm_guard:
        return _WARM.pop(hashlib.sha256(text.encode("utf-8")).hexdigest(), None)


def _keep_warm(text: str, data: Any, yaml: YAML) -> None:
    with _warm_guard:
        _WARM[hashlib.sha256(text.encode("utf-8")).hexdigest()] = (data, yaml)
        while len(_WARM) > _WARM_MAX:
            del _WARM[next(iter(_WARM))]


def _splice(original: str, before: str, after: str) -> str:
    """Apply the change ``before`` → ``after`` to ``original``, which ruamel writes as ``before``.

    Each changed run of ``before`` must be lines that ``original`` has too, in one piece; lines that ruamel would
    write differently are never touched, and a change that would touch them is refused.
    """
    orig, old, new = original.splitlines(True), before.splitlines(True), after.splitlines(True)
    mapping: dict[int, int] = {}  # line of ``old`` → the same line of ``orig``
    for block in difflib.SequenceMatcher(None, old, orig, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            mapping[block.a + k] = block.b + k
    out: list[str] = []
    at = 0  # next line of ``orig`` to copy
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if i2 > i1:
            if any(k not in mapping for k in range(i1, i2)):
                raise ValueError("de wijziging raakt regels die anders geschreven zijn dan gebruikelijk")
            start, end = mapping[i1], mapping[i2 - 1] + 1
            if end - start != i2 - i1:
                raise ValueError("de wijziging raakt regels die anders geschreven zijn dan gebruikelijk")
        elif i1 == 0:
            start = end = 0
        elif i1 - 1 in mapping:
            start = end = mapping[i1 - 1] + 1
        else:
            raise ValueError("de wijziging grenst aan regels die anders geschreven zijn dan gebruikelijk")
        if start < at:
            raise ValueError("de wijzigingen overlappen")
        out.extend(orig[at:start])
        out.extend(new[j1:j2])
        at = end
    out.extend(orig[at:])
    return "".join(out)


def _lock(path: Path) -> threading.Lock:
    key = path.resolve()
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


def apply_edits(path: Path, edits: Sequence[Edit], expected: str | None = None, header: str = "") -> str:
    """Apply ``edits`` to the data file at ``path`` and write it atomically; returns the new version.

    ``expected`` is the version the caller read (None: no check). A file that changed since is not written
    (:class:`ConflictError`). A file that does not exist is made, starting with ``header`` (comment lines).
    """
    with _lock(path):
        text, current = read_version(path)
        if expected is not None and expected != current:
            raise ConflictError(
                f"{display_path(path)} is gewijzigd sinds het geladen werd (door een ander programma of iemand "
                "anders); uw wijziging is niet opgeslagen. Laad het bestand opnieuw en breng de wijziging opnieuw aan"
            )
        if current == ABSENT and header:
            text = header if header.endswith("\n") else header + "\n"
        try:
            result = edit_text(text, edits)
        except ValueError as exc:
            raise DataError([Problem(Location(display_path(path)), "", f"kan niet veilig wijzigen: {exc}")]) from exc
        except KeyError as exc:  # a list position or a path that is not there (any more)
            where = ".".join(str(step) for step in exc.args[0]) if exc.args and isinstance(exc.args[0], tuple) else ""
            message = f"kan niet wijzigen: '{where or exc}' bestaat niet (meer); laad het bestand opnieuw"
            raise DataError([Problem(Location(display_path(path)), where, message)]) from exc
        if result == text and current != ABSENT:
            return current
        write_atomic(path, result)
        return version_of(result.encode("utf-8"))
