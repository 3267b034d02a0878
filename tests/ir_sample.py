"""A hand-built IR document that uses every node type, for writer tests (pandoc's way: writers are tested
on a tree built by hand, independent of YAML and the builder)."""

from __future__ import annotations

import datetime as dt

from generator.document.nodes import (
    Argument,
    BulletList,
    CheckItem,
    Checklist,
    Document,
    HouseStyle,
    LineBreak,
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


def para(text: str) -> Paragraph:
    return Paragraph((Text(text),))


def sample_document(municipality: str = "Leusden", slug: str = "leusden") -> Document:
    sections = (
        Section(
            1,
            "aanleiding",
            "Aanleiding",
            (
                para("Onze gemeente staat voor drie grote uitdagingen:"),
                NumberedList(
                    (
                        (para("De impuls sociale infrastructuur; en"),),
                        (para("De hervorming van de arbeidsmarktinfrastructuur;"),),
                        (para("De wet van school naar duurzaam werk voor jongeren."),),
                    )
                ),
                SubHeading((Text("Opgave ‘Impuls sociale infrastructuur’"),)),
                Paragraph(
                    (
                        Text("Dit is "),
                        Text("vet", bold=True),
                        Text(" en "),
                        Text("schuin", italic=True),
                        Text(", met een "),
                        Link("link", "https://www.leusden.nl/"),
                        Text("."),
                        LineBreak(),
                        Text('Tweede regel met <tekens> & "aanhalingstekens".'),
                    )
                ),
            ),
        ),
        Section(4, "deadline", "Deadline", (NotApplicable(),)),
        Section(
            5,
            "voorstel",
            "Voorstel",
            (
                NumberedList(
                    (
                        (para("De uitgangspunten vaststellen."),),
                        (para("De opgave bekostigen met de impulsgelden."),),
                    )
                ),
            ),
        ),
        Section(
            6,
            "argumenten",
            "Argumenten",
            (
                Argument("1.1", (Text("Er is draagvlak."),), (para("Concreet gaat het om de regio."),)),
                Argument("1.2", (Text("De inwoner staat centraal."),), (para("Met de uitgangspunten."),)),
                Argument("2.1", (Text("Het impulsbudget biedt dekking."),), (para("Vanaf 2025."),)),
            ),
        ),
        Section(
            15,
            "financieel_advies",
            "Financieel advies (kosten en dekking)",
            (
                Paragraph(
                    (
                        Text("Het gaat om een bedrag van "),
                        Text("[INVULLEN: bedrag]", highlight=True),
                        Text("."),
                    )
                ),
            ),
        ),
        Section(
            18,
            "global_goals",
            "Global Goals",
            (
                Checklist(
                    (
                        CheckItem(True, "Goal 01", "Einde aan armoede"),
                        CheckItem(False, "Goal 02", "Einde aan honger"),
                        CheckItem(True, "Goal 08", "Inclusieve economische groei"),
                    )
                ),
            ),
        ),
        Section(
            20,
            "burgerparticipatie",
            "Burgerparticipatie",
            (
                para("De regiogemeenten betrekken de volgende stakeholders:"),
                BulletList(((para("RWA/Amfors."),), (para("De Cliëntenraad Wsw."),))),
            ),
        ),
        Section(
            21,
            "bijlagen",
            "Bijlagen",
            (NumberedList(((para("Memo ‘Uitgangspunten’."),), (para("Inventarisatie."),))),),
        ),
    )
    return Document(
        kind="Raadsvoorstel",
        subject="Uitgangspunten impuls sociale infrastructuur",
        municipality=municipality,
        municipality_slug=slug,
        dossier="impuls-sociale-infrastructuur",
        fields=(MetaField("Datum raadsvergadering", (Text("3 juni 2025"),)),),
        sections=sections,
        signature=SignatureBlock(
            closing="Met vriendelijke groet,",
            college=f"Het college van burgemeester en wethouders van {municipality},",
            signatories=(
                Signatory((Text("R.B. van den Brink"),), "directeur-secretaris"),
                Signatory((Text("G.J. Bouwmeester"),), "burgemeester"),
            ),
        ),
        date=dt.date(2025, 5, 13),
        house=HouseStyle(color="#00626F"),
        keywords=("raadsvoorstel", municipality),
    )
