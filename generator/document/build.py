"""Proposal → Document: numbering, order, labels and the rendered text of every section, decided once.

Text fields get their variables filled in (sandboxed, see ``variables``) and are parsed as Markdown
(``markdown``); problems in either are reported at the file and line inside the text that caused them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from itertools import chain
from urllib.parse import unquote

from generator.document import footnotes, local, markdown, placeholders, typography, variables, visit
from generator.document.nodes import (
    Argument,
    Block,
    BulletList,
    CheckItem,
    Checklist,
    Document,
    Footnote,
    HouseStyle,
    Inline,
    LineBreak,
    Link,
    MetaField,
    NotApplicable,
    NumberedList,
    Paragraph,
    Section,
    Signatory,
    SignatureBlock,
    Source,
    SubHeading,
    Text,
)
from generator.errors import Location, Problem, Problems, Severity
from generator.model import dutch
from generator.model.messages import Path, dotted, suggest
from generator.model.proposal import Bijlage
from generator.model.sdg import GOALS, goal_label
from generator.model.sections import SECTIONS, Kind, is_nvt
from generator.model.values import Placeholder
from generator.resolve import Proposal

KIND = "Raadsvoorstel"


class _Texts:
    """Renders the text fields of one proposal, collecting problems with their file lines."""

    def __init__(self, proposal: Proposal, problems: Problems) -> None:
        self.proposal = proposal
        self.problems = problems
        self._origins: dict[Path, tuple[local.Origin, ...]] = {}

    def _where(self, path: Path, line: int) -> tuple[Location, str]:
        """File line and field of line ``line`` of the text at ``path`` (a local change's own lines included)."""
        location, where = self._place(path, line)
        return location, dotted(where)

    def _place(self, path: Path, line: int) -> tuple[Location, Path]:
        """File line and key path of line ``line`` of the text at ``path``: the one map every way back uses."""
        prov = self.proposal.provenance
        origins = self._origins.get(path)
        if origins is not None and 1 <= line <= len(origins):
            origin = origins[line - 1]
            if origin.change is not None:
                change_path: Path = ("lokaal", path[0], origin.change, "tekst")
                return prov.text_line(change_path, origin.line), change_path
            line = origin.line
        return prov.text_line(path, line), path

    def source(self, path: Path, line: int = 1, used: tuple[tuple[str, str], ...] = ()) -> Source:
        """The source of a node made from line ``line`` of the text at ``path`` (see :class:`Source`)."""
        location, where = self._place(path, line)
        return Source(location.file, tuple(where), location.line, used)

    def key_source(self, path: Path) -> Source:
        """The source of a node made from the value at ``path`` as a whole (a section, a list, a field)."""
        location = self.proposal.provenance.locate(path)
        return Source(location.file, tuple(path), location.line)

    def where(self, path: Path, line: int) -> tuple[Location, str]:
        """File line and field of line ``line`` of :meth:`reader_text` (for checks of the text, see
        ``generator.language``): the same map as the build's own problems use."""
        return self._where(path, line)

    def reader_text(self, source: str, path: Path) -> str | None:
        """The text at ``path`` as the reader reads it, still Markdown: local changes applied, variables filled
        in, line for line as :meth:`where` maps it. None when a variable is wrong (the build reports that)."""
        text = self._local(source, path)
        if variables.check(text, self.proposal.context):
            return None
        return variables.render(text, self.proposal.context)

    def _local(self, source: str, path: Path) -> str:
        """The shared text with this municipality's local changes (``lokaal:``) applied and labels removed."""
        changes = self.proposal.voorstel.lokaal.get(str(path[0])) if len(path) == 1 else None
        if not changes and "[#" not in source:
            return source
        wanted = [local.Change(i, *c.action, c.tekst) for i, c in enumerate(changes or ())]
        result = local.apply(source, wanted)
        prov = self.proposal.provenance
        for index, message in result.problems:
            where: Path = path if index is None else ("lokaal", path[0], index, wanted[index].action)
            self.problems.append(Problem(prov.locate(where), dotted(where), message))
        self._origins[path] = result.origins
        return result.text

    def _substitute(self, source: str, path: Path) -> variables.Marked | None:
        found = variables.check(source, self.proposal.context)
        for item in found:
            self.problems.append(Problem(*self._where(path, item.line), item.message))
        if found:
            return None
        for spot in placeholders.find(source):
            self.problems.append(Problem(*self._where(path, spot.line), spot.message(), Severity.WARNING))
        return variables.render_marked(source, self.proposal.context)

    def blocks(self, source: str, path: Path) -> tuple[Block, ...]:
        rendered = self._substitute(self._local(source, path), path)
        if rendered is None:
            return ()
        blocks, found, starts = markdown.parse_blocks_at(rendered.text)
        for item in found:
            self.problems.append(Problem(*self._where(path, item.line), item.message))
        blocks = tuple(
            replace(b, source=self.source(path, start, rendered.used(_token_text(b))))
            for b, start in zip(blocks, starts, strict=True)
        )
        if rendered.values:  # the values go in as text, after the Markdown around them was parsed
            blocks = tuple(_map_block(b, rendered) for b in blocks)
        return tuple(_highlight_block(b) for b in blocks)

    def inlines(self, source: str, path: Path) -> tuple[Inline, ...]:
        inlines: list[Inline] = []
        for block in self.blocks(source, path):
            if isinstance(block, Paragraph | SubHeading):
                inlines.extend(block.inlines)
        return tuple(inlines)


def _token_text(block: Block) -> str:
    """Every piece of text of a freshly parsed block, link addresses decoded: where its value tokens stand."""
    return "".join(_TOKENS.visit(i) for i in visit.inlines_in((block,)))


class _TokenText(visit.InlineVisitor[str]):
    def text(self, inline: Text) -> str:
        return inline.text

    def link(self, inline: Link) -> str:
        return inline.text + unquote(inline.href)

    def line_break(self, inline: LineBreak) -> str:
        return ""

    def footnote(self, inline: Footnote) -> str:
        return "".join(self.visit_all(inline.inlines))


_TOKENS = _TokenText()


def _plain(inlines: tuple[Inline, ...]) -> str:
    """A one-line field (onderwerp) as plain text, for metadata and running headers."""
    return "".join(i.text for i in inlines if isinstance(i, Text | Link))


def _highlight(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    return _HIGHLIGHT.run(inlines)


class _Highlight(visit.InlineMap):
    """Text with its typography settled (no break inside "€ 10") and every placeholder ("[INVULLEN …]") cut out
    into a highlighted run of its own, in running text and footnotes alike."""

    def text(self, inline: Text) -> tuple[Inline, ...]:
        item = Text(typography.nbsp(inline.text), inline.bold, inline.italic, inline.highlight)
        out: list[Inline] = []
        at = 0
        for start, end in placeholders.spans(item.text):
            if start > at:
                out.append(Text(item.text[at:start], item.bold, item.italic, item.highlight))
            out.append(Text(item.text[start:end], item.bold, item.italic, highlight=True))
            at = end
        if not out or at < len(item.text):
            out.append(Text(item.text[at:], item.bold, item.italic, item.highlight))
        return tuple(out)


_HIGHLIGHT = _Highlight()


class _Restore(visit.InlineMap):
    """Inlines with the values of ``change`` put back into every piece of text and every link address."""

    def __init__(self, change: variables.Marked) -> None:
        self.change = change

    def text(self, inline: Text) -> tuple[Inline, ...]:
        return (Text(self.change.restore(inline.text), inline.bold, inline.italic, inline.highlight),)

    def link(self, inline: Link) -> tuple[Inline, ...]:
        return (Link(self.change.restore(inline.text), self.change.restore_url(inline.href)),)


def _map_block(block: Block, change: variables.Marked) -> Block:
    """``block`` with the values of ``change`` put back into every piece of text and every link address."""
    return visit.map_inlines(block, _Restore(change).run)


def _highlight_block(block: Block) -> Block:
    return visit.map_inlines(block, _highlight)


def _section_blocks(kind: Kind, key: str, texts: _Texts) -> tuple[Block, ...]:
    v = texts.proposal.voorstel
    value = getattr(v, key)
    whole = texts.key_source((key,))
    if kind is Kind.TEXT:
        return (NotApplicable(source=whole),) if is_nvt(value) else texts.blocks(value, (key,))
    if kind is Kind.DECISIONS:
        items = tuple(texts.blocks(text, (key, i)) for i, text in enumerate(v.beslispunten))
        return (NumberedList(items, source=whole),)
    if kind is Kind.ARGUMENTS:
        if v.argumenten is None:
            return (NotApplicable(source=whole),)
        out: list[Block] = []
        for number in range(1, len(v.beslispunten) + 1):
            group = [(i, a) for i, a in enumerate(v.argumenten) if a.beslispunt == number]
            for k, (i, argument) in enumerate(group, start=1):
                out.append(
                    Argument(
                        f"{number}.{k}",
                        texts.inlines(argument.kop, (key, i, "kop")),
                        texts.blocks(argument.tekst, (key, i, "tekst")),
                        source=texts.key_source((key, i)),
                    )
                )
        return tuple(out)
    if kind is Kind.GOALS:
        chosen = set(v.global_goals)
        goals = tuple(CheckItem(n in chosen, goal_label(n), title) for n, title in enumerate(GOALS, start=1))
        return (Checklist(goals, source=whole),)
    if kind is Kind.PARTICIPATION:
        if v.burgerparticipatie is None:
            return (NotApplicable(source=whole),)
        part = v.burgerparticipatie
        blocks = list(texts.blocks(part.tekst, (key, "tekst")))
        if part.stakeholders:
            items = tuple(texts.blocks(s, (key, "stakeholders", i)) for i, s in enumerate(part.stakeholders))
            blocks.append(BulletList(items, source=texts.key_source((key, "stakeholders"))))
        return tuple(blocks)
    if kind is Kind.ATTACHMENTS:
        if v.bijlagen is None:
            return (NotApplicable(source=whole),)
        titles = tuple(_attachment_title(texts, t, (key, i)) for i, t in enumerate(v.bijlagen))
        return (NumberedList(titles, source=whole),)
    raise AssertionError(kind)


def _attachment_title(texts: _Texts, item: str | Bijlage, path: Path) -> tuple[Block, ...]:
    """An attachment's title as blocks: the item itself, or the ``titel`` of one that names its file."""
    if isinstance(item, str):
        return texts.blocks(item, path)
    return texts.blocks(item.titel, (*path, "titel"))


def _field_value(value: object) -> tuple[Inline, ...] | None:
    """A title-block value or a name as inlines; a placeholder is highlighted like one in running text."""
    if value is None:
        return None
    if isinstance(value, Placeholder):
        return (Text(str(value), highlight=True),)
    if hasattr(value, "isoformat"):
        return (Text(dutch.date(value)),)  # type: ignore[arg-type]
    return (Text(str(value)),)


def _has_placeholder(
    subject: tuple[Inline, ...], fields: tuple[MetaField, ...], sections: tuple[Section, ...], sig: SignatureBlock
) -> bool:
    """True when any text of the document is still a highlighted placeholder: the document is a draft."""
    inlines = chain(
        subject,
        chain.from_iterable(f.value for f in fields),
        visit.inlines_in(b for s in sections for b in s.blocks),
        chain.from_iterable(s.name for s in sig.signatories),
    )
    return any(isinstance(i, Text) and i.highlight for i in inlines)


META_FIELDS: tuple[tuple[str, str], ...] = (
    ("datum_college", "Datum collegevergadering"),
    ("datum_raad", "Datum raadsvergadering"),
    ("agendapunt", "Agendapunt"),
    ("zaaknummer", "Zaaknummer"),
    ("portefeuillehouder", "Portefeuillehouder"),
)


def _check_local(proposal: Proposal, problems: Problems) -> None:
    """``lokaal:`` belongs in an overlay and names text sections that exist and apply."""
    prov = proposal.provenance
    if "lokaal" in prov.base.data:
        problems.append(
            Problem(
                prov.base.source.key(("lokaal",)) or Location(prov.base.name),
                "lokaal",
                "'lokaal' hoort in een gemeentebestand (gemeenten/<gemeente>.yaml), niet in voorstel.yaml",
            )
        )
    texts = [spec.key for spec in SECTIONS if spec.kind is Kind.TEXT]
    for key in proposal.voorstel.lokaal:
        path: Path = ("lokaal", key)
        if key not in texts:
            hint = suggest(key, texts)
            tip = f"bedoelde u '{hint}'?" if hint else "lokale tekst kan alleen in tekstonderdelen"
            problems.append(Problem(prov.locate_key(path), dotted(path), f"'{key}' is geen tekstonderdeel; {tip}"))
        elif is_nvt(getattr(proposal.voorstel, key)):
            message = f"'{key}' is nvt; er is geen gedeelde tekst om aan te vullen"
            problems.append(Problem(prov.locate_key(path), dotted(path), message))


def build(proposal: Proposal, problems: Problems) -> Document:
    """The document of one proposal. Problems in texts are appended to ``problems``."""
    _check_local(proposal, problems)
    texts = _Texts(proposal, problems)
    v = proposal.voorstel
    sections = footnotes.number_sections(
        [
            Section(
                spec.number, spec.key, spec.title, _section_blocks(spec.kind, spec.key, texts),
                source=texts.key_source((spec.key,)),
            )
            for spec in SECTIONS
        ]
    )  # fmt: skip
    fields = tuple(
        MetaField(label, value, source=texts.key_source((key,)))
        for key, label in META_FIELDS
        if (value := _field_value(getattr(v, key))) is not None
    )
    g = proposal.gemeente
    signature = SignatureBlock(
        closing=v.ondertekening.slotformule,
        college=f"Het college van burgemeester en wethouders van {g.naam},",
        signatories=tuple(
            Signatory(_field_value(o.naam) or (), o.titel, source=_registry_source(proposal, (role, "naam")))
            for role, o in (("secretaris", g.secretaris), ("burgemeester", g.burgemeester))
        ),
    )
    date = next((d for d in (v.datum_college, v.datum_raad) if d is not None and not isinstance(d, Placeholder)), None)
    return assemble(proposal, texts, KIND, "raadsvoorstel", fields, sections, signature, date)


def assemble(
    proposal: Proposal,
    texts: _Texts,
    kind: str,
    name: str,
    fields: tuple[MetaField, ...],
    sections: tuple[Section, ...],
    signature: SignatureBlock,
    date: dt.date | None,
) -> Document:
    """A municipality's document from its parts, with what every kind shares decided once: the subject, the house
    style, the status and the draft flag (status concept, or any placeholder left), and the keywords."""
    v = proposal.voorstel
    g = proposal.gemeente
    logo = f"gemeenten/{proposal.slug}/{g.huisstijl.logo}" if g.huisstijl.logo else None
    subject = texts.inlines(v.onderwerp, ("onderwerp",))
    concept = v.status == "concept" or _has_placeholder(subject, fields, sections, signature)
    keywords = (kind.lower(), g.naam, proposal.dossier, *status_keywords(v.status, concept))
    if v.herzieningen:  # an offered proposal changed on purpose (raadsvoorstel herzie): say so, with the date
        last = v.herzieningen[-1]
        fields = (*fields, MetaField("Gewijzigd", (Text(f"{dutch.date(last.datum)}: {last.reden}"),)))
        kind = f"Gewijzigd {kind[0].lower()}{kind[1:]}" if name == "raadsvoorstel" else kind
        keywords = (*keywords, "gewijzigd")
    return Document(
        kind=kind,
        subject=_plain(subject),
        municipality=g.naam,
        municipality_slug=proposal.slug,
        dossier=proposal.dossier,
        fields=fields,
        sections=sections,
        signature=signature,
        date=date,
        house=HouseStyle(color=g.huisstijl.kleur.upper(), logo=logo),
        keywords=keywords,
        subject_inlines=subject,
        concept=concept,
        name=name,
        status=v.status,
        built_from=_built_from(proposal),
    )


def _registry_source(proposal: Proposal, path: Path) -> Source | None:
    """The source of a value the registry gives this municipality (a signatory's name)."""
    if proposal.registry is None:
        return None
    where: Path = ("gemeenten", proposal.slug, *path)
    location = proposal.registry.locate(where)
    return Source(location.file, tuple(where), location.line)


def _built_from(proposal: Proposal) -> tuple[tuple[str, str], ...]:
    """The data files as (place in the dossier, git object id): the same wherever the dossier lies, so the same
    data gives the same document bytes in any folder."""
    prov = proposal.provenance
    files = [("voorstel.yaml", prov.base.blob)]
    if prov.overlay is not None:
        files.append((f"gemeenten/{proposal.slug}.yaml", prov.overlay.blob))
    return tuple(files)


def status_keywords(status: str, concept: bool) -> tuple[str, ...]:
    """The status in the metadata every format carries (keywords): "status aangeboden", and "CONCEPT" for a draft."""
    return (f"status {status}", *(("CONCEPT",) if concept else ()))
