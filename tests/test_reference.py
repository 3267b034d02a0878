"""Leusden's output reproduces the reference proposal word for word (issue: model and data files)."""

from __future__ import annotations

import pytest

from generator.document.nodes import Document
from generator.writers.txt import write as write_txt
from tests.conftest import DOSSIER, PROPOSALS, Invoke
from tests.reference import reference_text
from tests.wordcompare import in_order_share, words


@pytest.fixture(scope="module")
def leusden_dump() -> str:
    from generator import api

    document: Document = api.documents(PROPOSALS / DOSSIER, ["leusden"])["leusden"]
    return write_txt(document)


def test_reference_normalisation_keeps_every_word() -> None:
    from tests.conftest import SEED

    assert sorted(words(reference_text())) == sorted(words(SEED.read_text(encoding="utf-8")))


def test_dump_holds_the_reference_in_order(leusden_dump: str) -> None:
    ref = words(reference_text())
    share = in_order_share(ref, words(leusden_dump))
    assert share >= 0.98, f"only {share:.1%} of the reference's words appear in order"


def test_dump_words_come_from_the_reference(leusden_dump: str) -> None:
    dump = words(leusden_dump)
    share = in_order_share(dump, words(reference_text()))
    assert share >= 0.95, f"only {share:.1%} of the dump's words come from the reference"


def test_cli_dump_matches_api(cli: Invoke, leusden_dump: str) -> None:
    result = cli("dump", PROPOSALS / DOSSIER, "--gemeente", "leusden")
    assert result.exit_code == 0
    assert result.output == leusden_dump


def test_dump_carries_leusden_facts(leusden_dump: str) -> None:
    for fact in (
        "€ 54.400",
        "najaarsnota 2024",
        "R.B. van den Brink",
        "directeur-secretaris",
        "G.J. Bouwmeester",
    ):
        assert fact in leusden_dump
    assert "Het college van burgemeester en wethouders van Leusden," in leusden_dump
    assert "■ Goal 08 Inclusieve economische groei" in leusden_dump
    assert "☐ Goal 02 Einde aan honger" in leusden_dump
