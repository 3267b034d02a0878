"""Proposal → Document: numbering, order, labels and the rendered text of every section, decided once.

Text fields get their variables filled in (sandboxed, see ``variables``) and are parsed as Markdown
(``markdown``); problems in either are reported at the file and line inside the text that caused them.
"""

from __future__ import annotations

import re

from generator import dutch
from generator.document import markdown, variables
from generator.document.nodes import (
    Argument,
    Block,
    BulletList,
    CheckItem,
    Checklist,
    Document,
    HouseStyle,
    Inline,
    Link,
    MetaField,
    NotApplicable,
    NumberedList,
    Paragraph,
    Section,
    Signatory,
    SignatureBlock,
    SubHeading,
    Text,
)
from generator.errors import Problem, Problems, Severity
from generator.model.messages import Path, dotted
from generator.model.sdg import GOALS, goal_label
from generator.model.sections import SECTIONS, Kind, is_nvt
from generator.model.values import PLACEHOLDER_WORD, Placeholder
from generator.resolve import Proposal

_PLACEHOLDER_RE = re.compile(r"(\[" + PLACEHOLDER_WORD + r"[^\]]*\])")

KIND = "Raadsvoorstel"


class _Texts:
    """Renders the text fields of one proposal, collecting problems with their file lines."""

    def __init__(self, proposal: Proposal, problems: Problems) -> None:
        self.proposal = proposal
        self.problems = problems

    def _substitute(self, source: str, path: Path) -> variables.Marked | None:
        prov = self.proposal.provenance
        found = variables.check(source, self.proposal.context)
        for item in found:
            self.problems.append(Problem(prov.text_line(path, item.line), dotted(path), item.message))
        if found:
            return None
        if PLACEHOLDER_WORD in source:
            self.problems.append(
                Problem(prov.locate(path), dotted(path), "de tekst bevat nog INVULLEN", Severity.WARNING)
            )
        return variables.render_marked(source, self.proposal.context)

    def blocks(self, source: str, path: Path) -> tuple[Block, ...]:
        rendered = self._substitute(source, path)
        if rendered is None:
            return ()
        blocks, found = markdown.parse_blocks(rendered.text)
        prov = self.proposal.provenance
        for item in found:
            self.problems.append(Problem(prov.text_line(path, item.line), dotted(path), item.message))
        if rendered.values:  # the values go in as text, after the Markdown around them was parsed
            blocks = tuple(_map_block(b, rendered) for b in blocks)
        return tuple(_highlight_block(b) for b in blocks)

    def inlines(self, source: str, path: Path) -> tuple[Inline, ...]:
        inlines: list[Inline] = []
        for block in self.blocks(source, path):
            if isinstance(block, Paragraph | SubHeading):
                inlines.extend(block.inlines)
        return tuple(inlines)

    def plain(self, source: str, path: Path) -> str:
        """A one-line field (onderwerp) with variables, without Markdown."""
        return "".join(i.text for i in self.inlines(source, path) if isinstance(i, Text | Link))


def _highlight(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for item in inlines:
        if isinstance(item, Text) and PLACEHOLDER_WORD in item.text:
            for n, part in enumerate(_PLACEHOLDER_RE.split(item.text)):
                if part:
                    out.append(Text(part, item.bold, item.italic, highlight=n % 2 == 1))
        else:
            out.append(item)
    return tuple(out)


def _map_inlines(inlines: tuple[Inline, ...], change: variables.Marked) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for item in inlines:
        if isinstance(item, Text):
            item = Text(change.restore(item.text), item.bold, item.italic, item.highlight)
        elif isinstance(item, Link):
            item = Link(change.restore(item.text), change.restore_url(item.href))
        out.append(item)
    return tuple(out)


def _map_block(block: Block, change: variables.Marked) -> Block:
    """``block`` with the values of ``change`` put back into every piece of text and every link address."""
    if isinstance(block, Paragraph):
        return Paragraph(_map_inlines(block.inlines, change))
    if isinstance(block, SubHeading):
        return SubHeading(_map_inlines(block.inlines, change))
    if isinstance(block, BulletList):
        return BulletList(tuple(tuple(_map_block(b, change) for b in item) for item in block.items))
    if isinstance(block, NumberedList):
        return NumberedList(tuple(tuple(_map_block(b, change) for b in item) for item in block.items), block.start)
    return block


def _highlight_block(block: Block) -> Block:
    if isinstance(block, Paragraph):
        return Paragraph(_highlight(block.inlines))
    if isinstance(block, SubHeading):
        return SubHeading(_highlight(block.inlines))
    if isinstance(block, BulletList):
        return BulletList(tuple(tuple(_highlight_block(b) for b in item) for item in block.items))
    if isinstance(block, NumberedList):
        return NumberedList(tuple(tuple(_highlight_block(b) for b in item) for item in block.items), block.start)
    return block


def _section_blocks(kind: Kind, key: str, texts: _Texts) -> tuple[Block, ...]:
    v = texts.proposal.voorstel
    value = getattr(v, key)
    if kind is Kind.TEXT:
        return (NotApplicable(),) if is_nvt(value) else texts.blocks(value, (key,))
    if kind is Kind.DECISIONS:
        return (NumberedList(tuple(texts.blocks(text, (key, i)) for i, text in enumerate(v.beslispunten))),)
    if kind is Kind.ARGUMENTS:
        if v.argumenten is None:
            return (NotApplicable(),)
        out: list[Block] = []
        for number in range(1, len(v.beslispunten) + 1):
            group = [(i, a) for i, a in enumerate(v.argumenten) if a.beslispunt == number]
            for k, (i, argument) in enumerate(group, start=1):
                out.append(
                    Argument(
                        f"{number}.{k}",
                        texts.inlines(argument.kop, (key, i, "kop")),
                        texts.blocks(argument.tekst, (key, i, "tekst")),
                    )
                )
        return tuple(out)
    if kind is Kind.GOALS:
        chosen = set(v.global_goals)
        return (
            Checklist(tuple(CheckItem(n in chosen, goal_label(n), title) for n, title in enumerate(GOALS, start=1))),
        )
    if kind is Kind.PARTICIPATION:
        if v.burgerparticipatie is None:
            return (NotApplicable(),)
        part = v.burgerparticipatie
        blocks = list(texts.blocks(part.tekst, (key, "tekst")))
        if part.stakeholders:
            items = tuple(texts.blocks(s, (key, "stakeholders", i)) for i, s in enumerate(part.stakeholders))
            blocks.append(BulletList(items))
        return tuple(blocks)
    if kind is Kind.ATTACHMENTS:
        if v.bijlagen is None:
            return (NotApplicable(),)
        return (NumberedList(tuple(texts.blocks(t, (key, i)) for i, t in enumerate(v.bijlagen))),)
    raise AssertionError(kind)


def _field_value(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, Placeholder):
        return str(value)
    if hasattr(value, "isoformat"):
        return dutch.date(value)  # type: ignore[arg-type]
    return str(value)


META_FIELDS: tuple[tuple[str, str], ...] = (
    ("datum_college", "Datum collegevergadering"),
    ("datum_raad", "Datum raadsvergadering"),
    ("agendapunt", "Agendapunt"),
    ("zaaknummer", "Zaaknummer"),
    ("portefeuillehouder", "Portefeuillehouder"),
)


def build(proposal: Proposal, problems: Problems) -> Document:
    """The document of one proposal. Problems in texts are appended to ``problems``."""
    texts = _Texts(proposal, problems)
    v = proposal.voorstel
    sections = tuple(
        Section(spec.number, spec.key, spec.title, _section_blocks(spec.kind, spec.key, texts)) for spec in SECTIONS
    )
    fields = tuple(
        MetaField(label, text) for key, label in META_FIELDS if (text := _field_value(getattr(v, key))) is not None
    )
    g = proposal.gemeente
    signature = SignatureBlock(
        closing=v.ondertekening.slotformule,
        college=f"Het college van burgemeester en wethouders van {g.naam},",
        signatories=tuple(Signatory(str(o.naam), o.titel) for o in (g.secretaris, g.burgemeester)),
    )
    date = next((d for d in (v.datum_college, v.datum_raad) if d is not None and not isinstance(d, Placeholder)), None)
    logo = f"gemeenten/{proposal.slug}/{g.huisstijl.logo}" if g.huisstijl.logo else None
    return Document(
        kind=KIND,
        subject=texts.plain(v.onderwerp, ("onderwerp",)),
        municipality=g.naam,
        municipality_slug=proposal.slug,
        dossier=proposal.dossier,
        fields=fields,
        sections=sections,
        signature=signature,
        date=date,
        house=HouseStyle(color=g.huisstijl.kleur.upper(), logo=logo),
        keywords=(KIND.lower(), g.naam, proposal.dossier),
    )
