"""Merge rules and provenance: mappings merge deeply, lists and scalars are replaced, origins are kept."""

from __future__ import annotations

from pathlib import Path

from generator import api
from generator.resolve import merge
from generator.sources.dossier import FsTree, load_dossier


def test_mappings_merge_deeply() -> None:
    base = {"a": {"b": 1, "c": {"d": 2, "e": 3}}, "f": 4}
    overlay = {"a": {"c": {"e": 30}}}
    assert merge(base, overlay) == {"a": {"b": 1, "c": {"d": 2, "e": 30}}, "f": 4}


def test_lists_are_replaced_whole() -> None:
    assert merge({"bijlagen": ["x", "y", "z"]}, {"bijlagen": ["q"]}) == {"bijlagen": ["q"]}


def test_scalars_replace_and_new_keys_add() -> None:
    assert merge({"a": "oud"}, {"a": "nieuw", "b": "extra"}) == {"a": "nieuw", "b": "extra"}


def test_a_mapping_can_replace_a_scalar_and_back() -> None:
    assert merge({"a": "nvt"}, {"a": {"tekst": "x"}}) == {"a": {"tekst": "x"}}
    assert merge({"a": {"tekst": "x"}}, {"a": "nvt"}) == {"a": "nvt"}


def test_merge_does_not_mutate_inputs() -> None:
    base = {"a": {"b": 1}}
    merge(base, {"a": {"b": 2}})
    assert base == {"a": {"b": 1}}


def test_overlay_replaces_a_section_for_one_municipality(dossier: Path) -> None:
    overlay = dossier / "gemeenten" / "soest.yaml"
    overlay.write_text(
        overlay.read_text(encoding="utf-8")
        + "deadline: Het besluit is nodig vóór 1 juli 2025.\nbijlagen:\n  - Alleen deze.\n",
        encoding="utf-8",
    )
    docs = api.documents(dossier)
    soest = {s.key: s for s in docs["soest"].sections}
    leusden = {s.key: s for s in docs["leusden"].sections}
    from generator.writers.txt import write

    soest_text = write(docs["soest"])
    assert "Het besluit is nodig vóór 1 juli 2025." in soest_text
    assert "1. Alleen deze." in soest_text and "Memo ‘Uitgangspunten" not in soest_text
    assert soest["deadline"] != leusden["deadline"]
    assert "Memo ‘Uitgangspunten" in write(docs["leusden"])


def test_problem_in_overlay_value_points_at_the_overlay(dossier: Path) -> None:
    overlay = dossier / "gemeenten" / "soest.yaml"
    overlay.write_text(
        overlay.read_text(encoding="utf-8") + "risicos: |\n  Eerste regel.\n  Tweede {{ gemeente.nam }}.\n",
        encoding="utf-8",
    )
    report = api.validate([dossier])
    messages = [str(p) for p in report.errors]
    lines = overlay.read_text(encoding="utf-8").splitlines()
    expected_line = next(n for n, line in enumerate(lines, 1) if "gemeente.nam" in line)
    assert any(f"soest.yaml:{expected_line}" in m and "bedoelde u 'naam'?" in m for m in messages), messages


def test_provenance_names_the_file_a_value_came_from(dossier: Path) -> None:
    overlay = dossier / "gemeenten" / "soest.yaml"
    overlay.write_text(overlay.read_text(encoding="utf-8") + "deadline: 1 juli\n", encoding="utf-8")
    from generator.errors import Problems
    from generator.resolve import Provenance

    problems = Problems()
    files = load_dossier(FsTree(dossier.parent), dossier.name, problems)
    prov = Provenance(files.base, files.overlays["soest"])  # type: ignore[arg-type]
    assert prov.origin(("deadline",)).name.endswith("soest.yaml")
    assert prov.origin(("aanleiding",)).name.endswith("voorstel.yaml")
    assert prov.locate(("deadline",)).line == len(overlay.read_text(encoding="utf-8").splitlines())
