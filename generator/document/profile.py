"""Layout profiles: how one municipality's raadsvoorstel names, orders, merges and leaves out its sections.

A profile is data (``profiel.toml``), found through the template search path like the house style: first
``gemeenten/<slug>/profiel.toml`` (one municipality), then ``profiel.toml`` (the project's, or the package's
own, which is the reference proposal's form: 21 sections in the order of ``model/sections.py``). The builder
builds the document in the reference form as always; :func:`apply` then re-forms it, so writers never learn
that profiles exist and a dossier without profiles gives the same bytes as before.

What a profile may say (the JSON Schema ``schema/profiel.schema.json`` lists it for editors):

- ``[[onderdeel]]`` in reading order, each with a ``titel`` and either ``bevat`` (the reference sections it
  holds, by YAML key; two or more are merged under the one heading, each under its own sub-heading) or
  ``lokaal`` (a local section the reference lacks, filled from the data, e.g. ``samenvatting``); with
  ``weglaten_als_nvt = true`` the heading is left out when every section it holds is ``nvt``. A section with
  text is never left out: every reference section must be placed exactly once.
- ``titelblok``: the title-block fields in their order (a field left out is not shown);
- ``slotformule``: the closing formula above the signatures (default: the data's ``ondertekening``);
- ``global_goals``: ``"alle"`` (the 17 goals, the chosen ones ticked) or ``"gekozen"`` (only the chosen ones);
- ``[besluit]``: the raadsbesluit's standard phrases reworded (:data:`BESLUIT`), each with its own {names} only;
  the besluit builder asks :meth:`Profile.phrase`.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass

from generator.document import footnotes
from generator.document.build import META_FIELDS
from generator.document.nodes import (
    Block,
    Checklist,
    Document,
    NotApplicable,
    Paragraph,
    Section,
    SignatureBlock,
    SubHeading,
    Text,
)
from generator.errors import Location, Problem
from generator.model.messages import suggest
from generator.model.sections import BY_KEY, SECTIONS

PROFILE_FILE = "profiel.toml"

#: The title-block fields a profile may order: data key → label (the builder's own table, in reference order).
FIELDS: dict[str, str] = dict(META_FIELDS)

#: Local sections a profile may add: data key → what is shown while the data has no text for it.
LOCAL_SECTIONS: dict[str, str] = {
    "samenvatting": "INVULLEN: samenvatting voor de inwoner in eenvoudige taal (taalniveau B1)",
}

#: The raadsbesluit's standard phrases a profile may reword: key → (reference wording, the {names} it may use).
BESLUIT: dict[str, tuple[str, tuple[str, ...]]] = {
    "aanhef": ("De raad van de gemeente {gemeente};", ("gemeente",)),
    "gelezen": ("gelezen het voorstel van burgemeester en wethouders van {voorstel};", ("voorstel",)),
    "gelet_op": ("gelet op {grondslagen};", ("grondslagen",)),
    "besluit": ("besluit:", ()),
    "slot": ("Aldus besloten in de openbare vergadering van {datum}.", ("datum",)),
}
_NAME_RE = re.compile(r"\{([^{}]*)\}")

GOALS = ("alle", "gekozen")
_TOP_KEYS = frozenset({"naam", "onderdeel", "titelblok", "slotformule", "global_goals", "besluit"})
_PART_KEYS = frozenset({"titel", "bevat", "lokaal", "weglaten_als_nvt"})


@dataclass(frozen=True, slots=True)
class Part:
    """One heading of the document: the reference sections it holds (``keys``) or a local section (``local``)."""

    title: str
    keys: tuple[str, ...] = ()
    local: str | None = None
    omit_nvt: bool = False


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    parts: tuple[Part, ...]
    fields: tuple[str, ...] = tuple(FIELDS)
    closing: str | None = None
    goals: str = "alle"
    besluit: tuple[tuple[str, str], ...] = ()  # (phrase key, wording) that differ from BESLUIT

    @property
    def local_keys(self) -> tuple[str, ...]:
        return tuple(p.local for p in self.parts if p.local is not None)

    def phrase(self, key: str, **values: str) -> str:
        """The besluit's phrase ``key`` in this profile's wording, with its {names} filled in (literally: no
        format language, so a value or a wording can never reach anything but these names)."""
        wording = dict(self.besluit).get(key, BESLUIT[key][0])
        return _NAME_RE.sub(lambda m: values.get(m.group(1), m.group()), wording)


REFERENCE = Profile("referentie", tuple(Part(spec.title, (spec.key,)) for spec in SECTIONS))


class _Reader:
    """Reads one profile's text, reporting each problem at the line of the value it concerns."""

    def __init__(self, text: str, shown: str) -> None:
        self.lines = text.split("\n")
        self.shown = shown
        self.problems: list[Problem] = []
        self._seen: dict[str, int] = {}

    def line_of(self, needle: str, after: int = 0) -> int:
        """The first line after line ``after`` that holds ``needle`` (1-based; 1 when none does)."""
        for number, line in enumerate(self.lines[after:], start=after + 1):
            if needle in line.split("#", 1)[0]:
                return number
        return 1

    def next_line_of(self, needle: str) -> int:
        """The line of the next occurrence of ``needle`` (each call moves on), for a value written twice."""
        line = self.line_of(needle, self._seen.get(needle, 0))
        self._seen[needle] = line
        return line

    def error(self, line: int, field: str, message: str) -> None:
        self.problems.append(Problem(Location(self.shown, line), field, message))


def parse(text: str, shown: str) -> tuple[Profile | None, list[Problem]]:
    """The profile in TOML ``text`` (the file shown as ``shown``), or None and every problem with its line."""
    reader = _Reader(text, shown)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        reader.error(int(found.group(1)) if found else 1, "", f"geen geldige TOML: {reason}")
        return None, reader.problems
    for key in data:
        if key not in _TOP_KEYS:
            hint = suggest(key, _TOP_KEYS)
            tip = f"; bedoelde u '{hint}'?" if hint else f"; kies uit {', '.join(sorted(_TOP_KEYS))}"
            reader.error(reader.line_of(key), key, f"onbekend veld '{key}'{tip}")
    name = data.get("naam", "")
    if not isinstance(name, str):
        reader.error(reader.line_of("naam"), "naam", "'naam' is tekst")
        name = ""
    parts = _parts(data.get("onderdeel"), reader)
    fields = _fields(data.get("titelblok", list(FIELDS)), reader)
    closing = data.get("slotformule")
    if closing is not None and (not isinstance(closing, str) or not closing.strip()):
        reader.error(reader.line_of("slotformule"), "slotformule", "'slotformule' is een tekst die niet leeg is")
        closing = None
    besluit = _besluit(data.get("besluit", {}), reader)
    goals = data.get("global_goals", "alle")
    if goals not in GOALS:
        reader.error(reader.line_of("global_goals"), "global_goals", "'global_goals' is \"alle\" of \"gekozen\"")
        goals = "alle"
    if reader.problems:
        return None, reader.problems
    return Profile(name or shown, parts, fields, closing, goals, besluit), []


def _besluit(raw: object, reader: _Reader) -> tuple[tuple[str, str], ...]:
    """The reworded phrases of ``[besluit]``: known keys, text, only the {names} that phrase has."""
    if not isinstance(raw, Mapping):
        reader.error(reader.line_of("besluit"), "besluit", "'besluit' is een tabel [besluit] met zinnen")
        return ()
    found: list[tuple[str, str]] = []
    start = reader.line_of("[besluit]")
    for key, wording in raw.items():
        field = f"besluit.{key}"
        line = reader.line_of(key, start)
        if key not in BESLUIT:
            hint = suggest(key, BESLUIT)
            tip = f"bedoelde u '{hint}'?" if hint else f"kies uit {', '.join(BESLUIT)}"
            reader.error(line, field, f"onbekende zin '{key}'; {tip}")
            continue
        if not isinstance(wording, str) or not wording.strip():
            reader.error(line, field, "een zin is tekst die niet leeg is")
            continue
        allowed = BESLUIT[key][1]
        for name in _NAME_RE.findall(wording):
            if name not in allowed:
                names = ", ".join(f"{{{n}}}" for n in allowed) or "geen"
                reader.error(line, field, f"'{{{name}}}' kan hier niet; deze zin kent: {names}")
        missing = [n for n in allowed if f"{{{n}}}" not in wording]
        if missing:
            reader.error(line, field, f"de zin mist {', '.join(f'{{{n}}}' for n in missing)}")
        found.append((key, wording))
    return tuple(found)


def _parts(raw: object, reader: _Reader) -> tuple[Part, ...]:
    if not isinstance(raw, list) or not raw:
        reader.error(1, "onderdeel", "een profiel noemt zijn onderdelen in volgorde, elk als [[onderdeel]]")
        return ()
    parts: list[Part] = []
    placed: dict[str, int] = {}
    locals_: set[str] = set()
    header = 0
    for index, entry in enumerate(raw, start=1):
        header = reader.line_of("[[onderdeel]]", header)
        field = f"onderdeel[{index}]"
        if not isinstance(entry, Mapping):
            reader.error(header, field, "een onderdeel is een tabel [[onderdeel]] met titel en bevat of lokaal")
            continue
        for key in entry:
            if key not in _PART_KEYS:
                hint = suggest(key, _PART_KEYS)
                tip = f"; bedoelde u '{hint}'?" if hint else f"; kies uit {', '.join(sorted(_PART_KEYS))}"
                reader.error(reader.line_of(key, header), f"{field}.{key}", f"onbekend veld '{key}'{tip}")
        title = entry.get("titel")
        if not isinstance(title, str) or not title.strip():
            reader.error(header, f"{field}.titel", "elk onderdeel heeft een 'titel' (de kop in het document)")
            title = ""
        omit = entry.get("weglaten_als_nvt", False)
        if not isinstance(omit, bool):
            reader.error(reader.line_of("weglaten_als_nvt", header), f"{field}.weglaten_als_nvt", "true of false")
            omit = False
        keys, local = entry.get("bevat"), entry.get("lokaal")
        if (keys is None) == (local is None):
            reader.error(header, field, "een onderdeel heeft óf 'bevat' (onderdelen van het voorstel) óf 'lokaal'")
            continue
        if local is not None:
            if local not in LOCAL_SECTIONS or local in locals_:
                why = "staat er al" if local in locals_ else f"kies uit {', '.join(LOCAL_SECTIONS)}"
                reader.error(reader.line_of("lokaal", header), f"{field}.lokaal", f"lokaal onderdeel '{local}': {why}")
                continue
            locals_.add(local)
            parts.append(Part(title, (), local, omit))
            continue
        parts.append(Part(title, _keys(keys, f"{field}.bevat", placed, reader, header), None, omit))
    for spec in SECTIONS:
        if spec.key not in placed:
            reader.error(
                1,
                "onderdeel",
                f"onderdeel {spec.number}. {spec.title} ('{spec.key}') staat nergens; elk onderdeel van het voorstel "
                "krijgt een plaats (met weglaten_als_nvt = true valt het weg als het nvt is)",
            )
    return tuple(parts)


def _keys(raw: object, field: str, placed: dict[str, int], reader: _Reader, header: int) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw or not all(isinstance(k, str) for k in raw):
        reader.error(reader.line_of("bevat", header), field, "'bevat' is een lijst van onderdelen, bv. [\"risicos\"]")
        return ()
    keys: list[str] = []
    for key in raw:
        line = reader.next_line_of(f'"{key}"')
        if key not in BY_KEY:
            hint = suggest(key, BY_KEY)
            tip = f"bedoelde u '{hint}'?" if hint else "zie 'raadsvoorstel new' voor de onderdelen"
            reader.error(line, field, f"onbekend onderdeel '{key}'; {tip}")
        elif key in placed:
            reader.error(line, field, f"onderdeel '{key}' staat al in onderdeel {placed[key]}; elk onderdeel één keer")
        else:
            placed[key] = len(placed) + 1
            keys.append(key)
    return tuple(keys)


def _fields(raw: object, reader: _Reader) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(k, str) for k in raw):
        reader.error(reader.line_of("titelblok"), "titelblok", "'titelblok' is een lijst van velden")
        return tuple(FIELDS)
    seen: list[str] = []
    for key in raw:
        if key not in FIELDS:
            hint = suggest(key, FIELDS)
            tip = f"bedoelde u '{hint}'?" if hint else f"kies uit {', '.join(FIELDS)}"
            reader.error(reader.line_of(f'"{key}"'), "titelblok", f"onbekend veld '{key}'; {tip}")
        elif key in seen:
            reader.error(reader.next_line_of(f'"{key}"'), "titelblok", f"veld '{key}' staat twee keer in het titelblok")
        else:
            seen.append(key)
    return tuple(seen)


def apply(document: Document, profile: Profile, local: Mapping[str, tuple[Block, ...]]) -> Document:
    """``document`` (a raadsvoorstel in the reference form) in the form of ``profile``; ``local`` holds the blocks
    of each local section the data fills (a missing one shows its placeholder)."""
    if profile == REFERENCE:
        return document
    by_key = {section.key: section for section in document.sections}
    sections: list[Section] = []
    placeholder = False
    for part in profile.parts:
        if part.local is not None:
            blocks = local.get(part.local) or ()
            if not blocks:
                blocks = (Paragraph((Text(LOCAL_SECTIONS[part.local], highlight=True),)),)
                placeholder = True
            sections.append(Section(len(sections) + 1, part.local, part.title, blocks))
            continue
        members = [_goals(by_key[key], profile) for key in part.keys]
        shown = [m for m in members if not (part.omit_nvt and _is_nvt(m))]
        if not shown:
            continue  # every section it holds is nvt: left out, as the profile asks
        if len(members) == 1:
            blocks = shown[0].blocks
        else:
            blocks = tuple(b for m in shown for b in (SubHeading((Text(m.title),)), *m.blocks))
        sections.append(Section(len(sections) + 1, part.keys[0], part.title, blocks))
    labels = {label: key for key, label in FIELDS.items()}
    fields = sorted(
        (f for f in document.fields if labels.get(f.label) in profile.fields),
        key=lambda f: profile.fields.index(labels[f.label]),
    )
    signature = document.signature
    if profile.closing is not None and signature is not None:
        signature = SignatureBlock(profile.closing, signature.college, signature.signatories)
    concept = document.concept or placeholder
    keywords = document.keywords
    if concept and not document.concept:
        keywords = (*keywords, "CONCEPT")
    return dataclasses.replace(
        document,
        sections=footnotes.number_sections(sections),
        fields=tuple(fields),
        signature=signature,
        concept=concept,
        keywords=keywords,
    )


def _is_nvt(section: Section) -> bool:
    return section.blocks == (NotApplicable(),)


def _goals(section: Section, profile: Profile) -> Section:
    """The Global Goals section with only the chosen goals when the profile asks so (Nvt when none is)."""
    if profile.goals != "gekozen" or section.key != "global_goals":
        return section
    out: list[Block] = []
    for block in section.blocks:
        if isinstance(block, Checklist):
            chosen = tuple(item for item in block.items if item.checked)
            out.append(Checklist(chosen) if chosen else NotApplicable())
        else:
            out.append(block)
    return dataclasses.replace(section, blocks=tuple(out))

