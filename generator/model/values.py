"""Small value types shared by the models: placeholders, slugs, colours, texts.

A *placeholder* is how a clerk marks a fact that is not known yet (``INVULLEN`` or ``INVULLEN: hint``):
the document shows it highlighted as "[INVULLEN: hint]", ``validate`` warns, ``--strict`` fails. This keeps
the data honest: nobody invents a burgemeester or an amount to make a file validate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BeforeValidator, PlainValidator, StringConstraints, WithJsonSchema

from generator.sources.slugs import SLUG_RE

PLACEHOLDER_WORD = "INVULLEN"


@dataclass(frozen=True, slots=True)
class Placeholder:
    """A value still to be filled in; ``hint`` says what belongs there."""

    hint: str = ""

    def __str__(self) -> str:
        return f"[{PLACEHOLDER_WORD}: {self.hint}]" if self.hint else f"[{PLACEHOLDER_WORD}]"


def parse_placeholder(value: Any) -> Any:
    """Turn "INVULLEN" / "INVULLEN: hint" into a Placeholder; leave anything else alone."""
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.upper().startswith(PLACEHOLDER_WORD):
            rest = stripped[len(PLACEHOLDER_WORD) :]
            if not rest or rest[0] in " :":
                return Placeholder(rest.lstrip(" :").strip())
    return value


T = TypeVar("T")

# Any capitalisation, as parse_placeholder accepts it (JSON Schema regexes have no case-insensitive flag).
_ANY_CASE = "".join(f"[{c}{c.lower()}]" for c in PLACEHOLDER_WORD)
_PLACEHOLDER_SCHEMA = {"type": "string", "pattern": f"^\\s*{_ANY_CASE}([ :].*)?$"}


def _only_placeholder(value: Any) -> Placeholder:
    if isinstance(value, Placeholder):
        return value
    raise ValueError(f"schrijf een waarde of '{PLACEHOLDER_WORD}'")


PlaceholderValue = Annotated[Placeholder, PlainValidator(_only_placeholder), WithJsonSchema(_PLACEHOLDER_SCHEMA)]

# A field that may hold a placeholder instead of its value.
Fillable = Annotated[T | PlaceholderValue, BeforeValidator(parse_placeholder)]


def _check_slug(value: str) -> str:
    if not SLUG_RE.fullmatch(value) and SLUG_RE.fullmatch(value.strip().lower()):
        raise ValueError(f"schrijf '{value.strip().lower()}': korte namen zijn in kleine letters")
    if not SLUG_RE.fullmatch(value):
        raise ValueError(
            f"'{value}' is geen geldige korte naam: gebruik kleine letters, cijfers en streepjes "
            "(begin met een letter of cijfer, hoogstens 64 tekens)"
        )
    return value


Slug = Annotated[str, AfterValidator(_check_slug), WithJsonSchema({"type": "string", "pattern": SLUG_RE.pattern})]


def _check_text(value: str) -> str:
    if not value.strip():
        raise ValueError("de tekst is leeg; schrijf de tekst, of 'nvt' als dit onderdeel niet van toepassing is")
    return value


# A non-empty Markdown text (variables allowed), or "nvt".
MarkdownText = Annotated[str, AfterValidator(_check_text)]


def _check_line(value: str) -> str:
    value = _check_text(value)
    if "\n" in value.strip():
        raise ValueError("schrijf dit op één regel")
    return value.strip()


#: Characters in one-line fields, by use (the README's "Grenzen" lists them). Why these: the DOCX core
#: properties hold at most 255 characters, and the document title there is "<soort> Gemeente <naam>:
#: <onderwerp>" (14 + 10 + 40 + 2 + 160 = 226); a name or code stands on one line of the title block or under
#: a signature; every other one-line text (a heading, a list item, a title) wraps like running text but is
#: still one line of the data, not a section.
SUBJECT_CHARS = 160
MUNICIPALITY_CHARS = 40
NAME_CHARS = 100
CODE_CHARS = 40
AGENDA_CHARS = 20
LINE_CHARS = 300

# A short one-line text (a heading, a title, a list item).
Line = Annotated[str, StringConstraints(max_length=LINE_CHARS), AfterValidator(_check_line)]
#: The onderwerp: the title block, the running header (shortened there), every metadata title.
Subject = Annotated[str, StringConstraints(max_length=SUBJECT_CHARS), AfterValidator(_check_line)]
#: A municipality's name: the running header and every title beside the onderwerp.
MunicipalityName = Annotated[str, StringConstraints(max_length=MUNICIPALITY_CHARS), AfterValidator(_check_line)]
#: A person's name or function title (under a signature, the portefeuillehouder).
Name = Annotated[str, StringConstraints(max_length=NAME_CHARS), AfterValidator(_check_line)]
#: A zaaknummer or an amendment's number.
Code = Annotated[str, StringConstraints(max_length=CODE_CHARS), AfterValidator(_check_line)]
#: An agenda item's number or label.
AgendaItem = Annotated[str, StringConstraints(max_length=AGENDA_CHARS), AfterValidator(_check_line)]
