"""Every municipality's proposal is its own: name, partners, closing, no Leusden facts."""

from __future__ import annotations

import pytest

from generator import api
from generator.writers.txt import write as write_txt
from tests.conftest import DOSSIER, GEMEENTEN, PROPOSALS, ROOT

NAMES = {g: g.capitalize() for g in GEMEENTEN}
ORDER = ("amersfoort", "bunschoten", "baarn", "soest", "leusden", "woudenberg", "nijkerk")
LEUSDEN_ONLY = (
    "G.J. Bouwmeester",
    "R.B. van den Brink",
    "directeur-secretaris",
    "54.400",
    "najaarsnota 2024",
)


@pytest.fixture(scope="module")
def dumps() -> dict[str, str]:
    documents = api.documents(PROPOSALS / DOSSIER)
    return {slug: write_txt(doc) for slug, doc in documents.items()}


def test_every_municipality_gets_a_document(dumps: dict[str, str]) -> None:
    assert sorted(dumps) == sorted(GEMEENTEN)


@pytest.mark.parametrize("slug", GEMEENTEN)
def test_closing_and_cooperation_name_the_municipality(dumps: dict[str, str], slug: str) -> None:
    text = dumps[slug]
    name = NAMES[slug]
    partners = [NAMES[g] for g in ORDER if g != slug]
    expected = ", ".join(partners[:-1]) + " en " + partners[-1]
    assert f"waarin gemeente {name} samenwerkt met gemeenten {expected}" in text
    assert f"Het college van burgemeester en wethouders van {name}," in text
    assert f"De gemeente {name} heeft deze middelen" in text
    for other in NAMES.values():
        if other != name:
            assert f"wethouders van {other}" not in text


@pytest.mark.parametrize("slug", [g for g in GEMEENTEN if g != "leusden"])
def test_no_leusden_facts_elsewhere(dumps: dict[str, str], slug: str) -> None:
    text = dumps[slug]
    for fact in LEUSDEN_ONLY:
        assert fact not in text, f"{slug} shows Leusden's {fact!r}"
    # Unknown facts are visible placeholders, not inventions.
    assert "[INVULLEN: bedrag van de overgehevelde Wsw-middelen]" in text
    assert "[INVULLEN: naam burgemeester]" in text


def test_regional_text_is_shared(dumps: dict[str, str]) -> None:
    shared = "De regio Amersfoort zet zich met verschillende vormen van ondersteuning in"
    assert all(shared in text for text in dumps.values())
    assert all(
        "de gemeenten Amersfoort, Bunschoten, Baarn, Soest, Leusden, Woudenberg en Nijkerk." in t
        for t in dumps.values()
    )


def test_strict_accepts_a_filled_in_municipality_and_refuses_unfilled(cli) -> None:  # type: ignore[no-untyped-def]
    from generator.errors import DataError

    example = ROOT / "voorbeelden" / "raadsronde" / "proposals" / "schuldhulp-eemland"
    assert api.documents(example, ["eemdal", "amerveld"], strict=True)
    with pytest.raises(DataError) as caught:
        api.documents(PROPOSALS / DOSSIER, ["soest"], strict=True)
    assert any("soest.yaml" in p.location.file for p in caught.value.problems)
    # Leusden's raadsvoorstel is complete, its raadsbesluit is not: the griffier and the college date are unknown.
    with pytest.raises(DataError) as leusden:
        api.documents(PROPOSALS / DOSSIER, ["leusden"], strict=True)
    assert {p.field for p in leusden.value.problems} == {"gemeenten.leusden.griffier.naam", "datum_college"}
