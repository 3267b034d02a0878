"""Our own DOCX, edited in Word, back into its dossier: field by field, through ``generator.editing`` only.

The document's custom XML part names the dossier, the municipality and the exact data files it was built from;
its bookmarks name the field of every paragraph. Each field as Word now shows it is compared with the field as
the data builds it today; only fields that differ become edits (:mod:`.texts` keeps untouched blocks' source
lines), so importing an unchanged document changes nothing. A document built from an older version of the data
is compared with that version (read from git) and its edits are applied only where the data has not moved
since; without that version in git the import is refused with a message that says how to proceed.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from generator.document import origins
from generator.document.markdown_write import Unwritable
from generator.document.nodes import Block, BulletList, Document, Inline, NumberedList, Text
from generator.document.plaintext import block_lines
from generator.editing import Delete, Edit, Insert, Set, edit_text, read_version, value_at
from generator.errors import DataError, Problems, UsageError
from generator.importing import texts
from generator.importing.package import ImportError_
from generator.importing.reader import Meta, Reader, fields, signature_text
from generator.model.sdg import GOALS
from generator.sources.dossier import FsTree, Loaded, find_dossier

__all__ = ["Plan", "plan"]

KeyPath = tuple[str | int, ...]
_LABEL_RE = re.compile(r"^\s*\d+(\.\d+)*\.?\s*")
_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december")  # fmt: skip
_DATE_FIELDS = ("datum_college", "datum_raad")
#: A Global Goal's line in Word: its box (ticked: ■ as written, or what a clerk types for a tick) and number.
_GOAL_RE = re.compile(r"^([■☒☑✓✔xX☐□])\s*Goal\s*0?(\d{1,2})\b")
_TICKED = frozenset("■☒☑✓✔xX")


@dataclass
class Plan:
    """What an import would change: edits per data file, with the version each was read at, and what to say."""

    dossier: Path
    gemeente: str
    edits: dict[Path, list[Edit]] = field(default_factory=dict)
    versions: dict[Path, str] = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)  # "aanleiding (proposals/…/voorstel.yaml): gewijzigd"
    notes: list[str] = field(default_factory=list)  # what the clerk should know or decide
    refused: list[str] = field(default_factory=list)  # fields not taken over, with the reason
    others: list[str] = field(default_factory=list)  # other municipalities whose document changes too
    shared: list[str] = field(default_factory=list)  # the shared fields that change for them
    before: Document | None = None
    after: Document | None = None

    @property
    def empty(self) -> bool:
        return not any(self.edits.values())


class _EditedTree:
    """A proposals folder with some files replaced (the data as the import would leave it, or an older
    version from git): the same loader builds the document from it."""

    def __init__(self, base: FsTree, replaced: Mapping[PurePosixPath, bytes]) -> None:
        self.base = base
        self.replaced = dict(replaced)

    def read_bytes(self, rel: PurePosixPath) -> bytes:
        return self.replaced[rel] if rel in self.replaced else self.base.read_bytes(rel)

    def is_file(self, rel: PurePosixPath) -> bool:
        return rel in self.replaced or self.base.is_file(rel)

    def is_dir(self, rel: PurePosixPath) -> bool:
        return self.base.is_dir(rel)

    def list_dir(self, rel: PurePosixPath) -> list[str]:
        return self.base.list_dir(rel)

    def display(self, rel: PurePosixPath) -> str:
        return self.base.display(rel)


def _load(tree: Any, slug: str, gemeente: str) -> tuple[Any, Any]:
    """(loaded dossier, resolved proposal) of one municipality; data problems raise DataError."""
    from generator.core.load import load
    from generator.resolve import resolve

    loaded, problems = load(tree, slug, [gemeente])
    errors = [p for p in problems if p.severity.name == "ERROR"]
    if errors or gemeente not in loaded.sets or loaded.register is None:
        raise DataError(errors or problems)
    proposal = resolve(loaded.files, loaded.register, gemeente, Problems())
    if proposal is None:  # pragma: no cover - load() resolved it a moment ago
        raise DataError(problems)
    return loaded, proposal


def _git_blob(folder: Path, blob: str) -> bytes | None:
    """The bytes of git object ``blob`` from the repository ``folder`` is in, or None when git lacks it."""
    if not re.fullmatch(r"[0-9a-f]{40}", blob):
        return None
    try:
        done = subprocess.run(["git", "cat-file", "blob", blob], cwd=folder, capture_output=True, check=False,
                              timeout=30)  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def plan(document: Any, meta: Meta, dossier: Path, gemeente: str, only_here: bool = False) -> Plan:
    """Every edit the marked DOCX ``document`` asks of ``dossier`` for ``gemeente`` (nothing is written)."""
    tree, slug = find_dossier(dossier)
    loaded, proposal = _load(tree, slug, gemeente)
    result = Plan(dossier, gemeente)
    layers = {"voorstel": loaded.files.base, "overlay": loaded.files.overlays.get(gemeente)}
    rel = {
        "voorstel": PurePosixPath(slug) / "voorstel.yaml",
        "overlay": PurePosixPath(slug) / "gemeenten" / f"{gemeente}.yaml",
    }
    built_from = {_file_key(name): blob for name, blob in meta.files}
    base_loaded, base_proposal = loaded, proposal
    stale = [
        k
        for k, layer in layers.items()
        if layer is not None and built_from.get(_file_key(layer.name), layer.blob) != layer.blob
    ]
    if stale:
        old_bytes: dict[PurePosixPath, bytes] = {}
        for k in stale:
            layer = layers[k]
            assert layer is not None
            found = _git_blob(dossier, built_from[_file_key(layer.name)])
            if found is None:
                raise ImportError_(
                    f"dit document is gemaakt van een andere versie van {layer.name} dan er nu staat, en git kent die "
                    "versie niet. Maak het document opnieuw met 'raadsvoorstel build', neem de wijzigingen daarin "
                    "over, of zet de oude versie van het bestand terug en importeer dan"
                )
            old_bytes[rel[k]] = found
        base_loaded, base_proposal = _load(_EditedTree(tree, old_bytes), slug, gemeente)
        result.notes.append(
            "het document is gemaakt van een oudere versie van de gegevens; de wijzigingen zijn drieweg samengevoegd: "
            "alleen velden die sindsdien niet veranderden worden overgenomen"
        )
    old_doc: Document = base_loaded.sets[gemeente].voorstel
    result.before = loaded.sets[gemeente].voorstel
    reader = Reader(document)
    new_fields: dict[tuple[KeyPath, str], tuple[Block, ...]] = {}
    for marked in fields(document, meta):
        if marked.role == "opmaak":  # what the layout profile added (a merged section's sub-heading)
            continue
        if marked.role == "sectie":  # the heading; text under it without a mark of its own (a moved bookmark)
            rest = reader.blocks(marked.elements[1:])
            if rest and (marked.path, "tekst") not in new_fields:
                new_fields[(marked.path, "tekst")] = rest
            elif rest:
                result.notes.append(f"{_dotted(marked.path)}: tekst direct onder de kop zonder markering; niet gelezen")
            continue
        blocks = reader.blocks(marked.elements)  # a field interrupted (by a local paragraph) continues
        new_fields[(marked.path, marked.role)] = (*new_fields.get((marked.path, marked.role), ()), *blocks)
    planner = _Planner(result, base_proposal, proposal, base_loaded, loaded, gemeente)
    planner.only_here = only_here
    planner.run(origins.fields_of(old_doc), new_fields)
    goals = new_fields.get((("global_goals",), "tekst"))
    if goals is not None:
        planner.goals(goals)
    _check_signature(result, document, meta, old_doc)
    _finish(result, tree, slug, gemeente, layers, rel)
    return result


def _check_signature(result: Plan, document: Any, meta: Meta, built: Document) -> None:
    """The signature block's names and titles come from the registry and its closing formula from the data; they
    are not read back, so a change to them in Word is named, never silently dropped."""
    shown = signature_text(document, meta)
    if shown is None:
        return
    sig = built.signature
    parts = [sig.closing, sig.college]
    for signatory in sig.signatories:
        parts.extend(["".join(i.text for i in signatory.name if isinstance(i, Text)), signatory.title])
    pieces = ["".join(part.split()) for part in parts if part.strip()]
    found = "".join(shown.split())  # the table puts the names in one row and the titles in the next
    if not all(piece in found for piece in pieces) or len(found) != sum(map(len, pieces)):
        result.refused.append(
            "ondertekening: de slotformule, namen of functies onder het voorstel zijn in Word veranderd; die komen "
            "uit de data (namen en functies uit gemeenten.yaml, de slotformule uit 'ondertekening' in "
            "voorstel.yaml): pas ze daar aan"
        )


class _Planner:
    def __init__(self, result: Plan, base: Any, current: Any, base_loaded: Any, loaded: Any, gemeente: str) -> None:
        self.result = result
        self.base = base  # the proposal the document was built from
        self.current = current
        self.base_loaded = base_loaded
        self.loaded = loaded
        self.gemeente = gemeente
        self.inserts: list[tuple[Loaded, KeyPath, int, str]] = []
        self.only_here = False  # --alleen-deze-gemeente: a shared text's edit becomes lokaal: entries
        self.deletes: list[tuple[Loaded, KeyPath]] = []

    def run(self, old: dict[tuple[KeyPath, str], tuple[Block, ...]], new: dict[tuple[KeyPath, str], tuple[Block, ...]]
            ) -> None:  # fmt: skip
        for (path, role), blocks in old.items():
            found = new.get((path, role))
            if found is None:
                if role == "item":
                    self.deletes.append((self._layer(path), path))
                else:
                    self.result.notes.append(f"{_dotted(path)}: niet gevonden in het document; niet gewijzigd")
                continue
            try:
                self._one(path, role, blocks, found)
            except Unwritable as exc:  # formatting Markdown cannot say: refused, never written as other text
                self.result.refused.append(f"{_dotted(path)}: {exc}")
        for layer, path in sorted(self.deletes, key=lambda d: _list_index(d[1])[1], reverse=True):
            self._edit(layer, Delete(_list_index(path)[0] + (_list_index(path)[1],)), path, "verwijderd")
        for layer, path, index, value in sorted(self.inserts, key=lambda i: i[2], reverse=True):
            self._edit(layer, Insert(path, index, value), (*path, index), "toegevoegd", check=False)

    def _one(self, path: KeyPath, role: str, blocks: tuple[Block, ...], found: tuple[Block, ...]) -> None:
        if role == "tekst":
            self._text(path, blocks, found)
        elif role == "item":
            self._item(path, blocks, found)
        elif role == "kop":
            self._line(path, blocks, _strip_label(texts.as_paragraph(found)))
        elif role == "veld":
            self._field(path, blocks, texts.as_paragraph(found))

    # -- where a value lives, and writing it

    def _layer(self, path: KeyPath) -> Loaded:
        layer: Loaded = self.base.provenance.origin(path)
        return layer

    def _edit(self, layer: Loaded, edit: Edit, path: KeyPath, what: str, *, check: bool = True) -> None:
        if check and not self._unchanged_since(layer, path):
            self.result.refused.append(
                f"{_dotted(path)}: in Word gewijzigd én in {layer.name} sinds het document gemaakt is; niet overgenomen"
            )
            return
        file = Path(layer.name)
        self.result.edits.setdefault(file, []).append(edit)
        self.result.changes.append(f"{_dotted(path)} ({layer.name}): {what}")
        if layer.name == self.loaded.files.base.name and not self.only_here:
            self._others(path)

    def _unchanged_since(self, layer: Loaded, path: KeyPath) -> bool:
        current = (
            self.loaded.files.base
            if layer.name == self.loaded.files.base.name
            else self.loaded.files.overlays.get(self.gemeente)
        )
        return current is not None and value_at(current.data, path) == value_at(layer.data, path)

    def _others(self, path: KeyPath) -> None:
        """The other municipalities whose document shows this shared text (those without their own version)."""
        for name, overlay in sorted(self.loaded.files.overlays.items()):
            if name != self.gemeente and value_at(overlay.data, path[:1]) is None and name not in self.result.others:
                self.result.others.append(name)
        if _dotted(path[:1]) not in self.result.shared:
            self.result.shared.append(_dotted(path[:1]))

    # -- kinds of field

    def _text(self, path: KeyPath, old: tuple[Block, ...], new: tuple[Block, ...]) -> None:
        if texts.key(old) == texts.key(new):
            return
        if path[0] == "lokaal" or (len(path) == 1 and self.base.voorstel.lokaal.get(str(path[0]))):
            self.result.refused.append(
                f"{_dotted(path)}: deze tekst heeft lokale aanvullingen ('lokaal:'); pas hem aan in de YAML"
            )
            return
        layer = self._layer(path)
        source = value_at(layer.data, path)
        if not isinstance(source, str):
            self.result.refused.append(f"{_dotted(path)}: geen tekst in {layer.name}; niet gewijzigd")
            return
        if not new:
            self.result.refused.append(
                f"{_dotted(path)}: alle tekst is weggehaald; schrijf 'nvt' in de YAML als dat bedoeld is"
            )
            return
        if texts.key(new).strip().lower() == "nvt":
            self._edit(layer, Set(path, "nvt"), path, "gewijzigd")
            return
        used = [v for b in old for v in (b.source.variables if b.source else ())]
        if self.only_here and layer.name == self.loaded.files.base.name:
            self._local(path, layer, source, old, new)
            return
        if source.strip().lower() == "nvt":
            rewritten = texts.Rewritten("")
            rewritten.text = texts.with_variables(texts.key(new), used, rewritten) + (
                "\n" if "\n" in texts.key(new) else ""
            )
        else:
            rewritten = texts.rewrite(source, old, new, used, self.base.context)
        if self._values_changed(path, rewritten):
            return
        self._edit(layer, Set(path, rewritten.text), path, "gewijzigd")

    def _local(self, path: KeyPath, layer: Loaded, source: str, old: tuple[Block, ...], new: tuple[Block, ...]) -> None:
        """This municipality's own version of a shared text: ``lokaal:`` entries in its file, labels in the
        shared text where a place had none (they change no document)."""
        overlay = self.base_loaded.files.overlays.get(self.gemeente)
        if len(path) != 1 or overlay is None or source.strip().lower() == "nvt":
            self.result.refused.append(
                f"{_dotted(path)}: kan niet als lokale tekst van {self.gemeente} worden geschreven"
            )
            return
        local = texts.local_changes(source, old, new, str(path[0]), self.base.context)
        if local.refused:
            self.result.refused.append(f"{_dotted(path)}: {local.refused}")
            return
        if self._values_changed(path, local.notes):
            return
        if local.source != source:
            self._edit(layer, Set(path, local.source), path, "label(s) toegevoegd")
        entries = [dict(e) for e in local.entries]
        self._edit(overlay, Set(("lokaal", *path), entries), ("lokaal", *path), "lokale tekst", check=False)

    def goals(self, blocks: tuple[Block, ...]) -> None:
        """The Global Goals checklist as Word shows it (a box per goal, ticked or not) → ``global_goals``."""
        path: KeyPath = ("global_goals",)
        lines = [line for block in blocks for line in block_lines(block)]
        found = {int(m.group(2)): m.group(1) in _TICKED for line in lines if (m := _GOAL_RE.match(line.strip()))}
        if len(found) != len(GOALS):
            self.result.refused.append(
                f"global_goals: de lijst van {len(GOALS)} Global Goals is in Word veranderd ({len(found)} regels "
                "met een vakje en 'Goal NN' gevonden); kies de doelen in de YAML of met ■/☐ in de lijst zelf"
            )
            return
        chosen = sorted(number for number, ticked in found.items() if ticked)
        if chosen != sorted(self.base.voorstel.global_goals):
            self._edit(self._layer(path), Set(path, chosen), path, "gewijzigd")

    def _values_changed(self, path: KeyPath, rewritten: texts.Rewritten) -> bool:
        """True (and said) when the clerk changed a variable's value in the text instead of in its file."""
        for note in rewritten.notes:
            self.result.notes.append(f"{_dotted(path)}: {note}")
        for expression, value in rewritten.changed_values:
            name = expression.strip("{} ").split("|")[0].strip()
            overlay = self.loaded.files.overlays.get(self.gemeente)
            if name.startswith("waarden.") and overlay is not None:
                file = overlay.name
            elif name.startswith("gemeente"):
                file = self.loaded.files.registry.name if self.loaded.files.registry else "gemeenten.yaml"
            else:
                file = self.loaded.files.base.name
            self.result.refused.append(
                f"{_dotted(path)}: de waarde '{value}' van variabele {expression} is in de tekst veranderd. Een "
                f"variabele blijft een variabele: pas '{name}' aan in {file}, of haal de variabele in de YAML weg"
            )
        return bool(rewritten.changed_values)

    def _item(self, path: KeyPath, old: tuple[Block, ...], new: tuple[Block, ...]) -> None:
        items: list[tuple[Block, ...]]
        if new and isinstance(new[0], NumberedList | BulletList):
            items = [tuple(i) for i in new[0].items] or [()]
            if len(new) > 1:
                items[-1] = (*items[-1], *new[1:])
        else:
            items = [new]
        self._text(path, old, items[0])
        if len(items) > 1:
            list_path, index = _list_index(path)
            for offset, item in enumerate(items[1:], start=1):
                value = texts.key(item)
                self.inserts.append((self._layer(list_path), list_path, index + offset, value))
            if list_path == ("beslispunten",):
                self.result.notes.append("er zijn beslispunten bijgekomen: controleer de nummers in 'argumenten'")

    def _line(self, path: KeyPath, old: tuple[Block, ...], new: tuple[Inline, ...]) -> None:
        before = texts.as_paragraph(old)
        if texts.inline_key(before) == texts.inline_key(new):
            return
        layer = self._layer(path)
        source = value_at(layer.data, path)
        if not isinstance(source, str):
            return
        used = [v for b in old for v in (b.source.variables if b.source else ())]
        rewritten = texts.rewrite_line(before, new, used)
        if self._values_changed(path, rewritten):
            return
        self._edit(layer, Set(path, rewritten.text), path, "gewijzigd")

    def _field(self, path: KeyPath, old: tuple[Block, ...], new: tuple[Inline, ...]) -> None:
        before = texts.as_paragraph(old)
        if texts.inline_key(before) == texts.inline_key(new):
            return
        text = "".join(i.text for i in new if isinstance(i, Text)).replace("\u00a0", " ").strip()
        if path == ("onderwerp",):
            self._line(path, old, new)
            return
        value: str = text
        if path[-1] in _DATE_FIELDS:
            parsed = _dutch_date(text)
            if parsed is None:
                self.result.refused.append(f"{_dotted(path)}: '{text}' is geen datum als '3 juni 2025'; niet gewijzigd")
                return
            value = parsed.isoformat()
        self._edit(self._layer(path), Set(path, value), path, "gewijzigd")


def _finish(result: Plan, tree: FsTree, slug: str, gemeente: str, layers: dict[str, Loaded | None],
            rel: dict[str, PurePosixPath]) -> None:  # fmt: skip
    """Versions of the files to write, and the document as the edited data would build it (for the diff)."""
    replaced: dict[PurePosixPath, bytes] = {}
    for key, layer in layers.items():
        if layer is None:
            continue
        path = Path(layer.name)
        text, version = read_version(tree.root / rel[key])
        result.versions[path] = version
        edits = result.edits.get(path)
        if edits:
            replaced[rel[key]] = edit_text(text, edits).encode("utf-8")
    if not replaced:
        result.after = result.before
        return
    try:
        loaded, _ = _load(_EditedTree(tree, replaced), slug, gemeente)
    except DataError as exc:
        result.refused.extend(f"na import: {p}" for p in exc.problems)
        result.edits.clear()
        return
    result.after = loaded.sets[gemeente].voorstel
    for key, layer in layers.items():  # write to the real path, not the display name
        if layer is not None and Path(layer.name) in result.edits:
            result.edits[tree.root / rel[key]] = result.edits.pop(Path(layer.name))
            result.versions[tree.root / rel[key]] = result.versions.pop(Path(layer.name))


def _file_key(name: str) -> str:
    """A data file by its place in the dossier ("voorstel.yaml", "gemeenten/leusden.yaml"), wherever it was
    built from (the document names the file as the build's working folder saw it)."""
    parts = name.replace("\\", "/").split("/")
    return "/".join(parts[-2:]) if len(parts) > 1 and parts[-2] == "gemeenten" else parts[-1]


def _strip_label(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """An argument's heading without its "1.2<tab>" label."""
    if inlines and isinstance(inlines[0], Text):
        first = inlines[0]
        return (Text(_LABEL_RE.sub("", first.text, count=1), first.bold, first.italic), *inlines[1:])
    return inlines


def _list_index(path: KeyPath) -> tuple[KeyPath, int]:
    """(the list, the index) of a list entry's path: ("bijlagen", 2, "titel") → (("bijlagen",), 2)."""
    for at in range(len(path) - 1, -1, -1):
        step = path[at]
        if isinstance(step, int):
            return path[:at], step
    raise UsageError(f"geen lijst: {_dotted(path)}")


def _dotted(path: KeyPath) -> str:
    return ".".join(str(p) for p in path)


def _dutch_date(text: str) -> dt.date | None:
    match = re.fullmatch(r"(\d{1,2})\s+([a-z]+)\s+(\d{4})", text.strip().lower())
    if not match or match.group(2) not in _MONTHS:
        return None
    try:
        return dt.date(int(match.group(3)), _MONTHS.index(match.group(2)) + 1, int(match.group(1)))
    except ValueError:
        return None
