"""The one module that writes into a dossier (generator.editing): minimal, atomic, conflict-checked edits."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from generator.editing import (
    ABSENT,
    ConflictError,
    Delete,
    Insert,
    Move,
    Set,
    apply_edits,
    edit_text,
    read_version,
    version_of,
)
from generator.errors import DataError
from generator.sources import load_yaml_text
from tests.conftest import ROOT

DATA_FILES = sorted(
    p
    for folder in ("proposals", "voorbeelden", "tests/data")
    for p in (ROOT / folder).rglob("*.yaml")
    if "hostile" not in p.parts
)
VOORSTEL = ROOT / "proposals/impuls-sociale-infrastructuur/voorstel.yaml"
LEUSDEN = ROOT / "proposals/impuls-sociale-infrastructuur/gemeenten/leusden.yaml"


def _changed_lines(old: str, new: str) -> tuple[list[str], list[str]]:
    removed, added = [], []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


def _loaded(text: str) -> object:
    data, _ = load_yaml_text(text, "test.yaml")
    return data


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_edit_leaves_every_data_file_byte_for_byte(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert edit_text(text, []) == text


def test_one_field_changes_only_its_line_and_keeps_comments() -> None:
    text = VOORSTEL.read_text(encoding="utf-8")
    new = edit_text(text, [Set(("onderwerp",), "Een ander onderwerp")])
    removed, added = _changed_lines(text, new)
    assert removed == [line for line in text.splitlines() if line.startswith("onderwerp:")]
    assert added == ["onderwerp: Een ander onderwerp"]
    assert [line for line in new.splitlines() if line.startswith("#")] == [
        line for line in text.splitlines() if line.startswith("#")
    ]
    assert _loaded(new)["onderwerp"] == "Een ander onderwerp"  # type: ignore[index]


def test_a_list_item_inserted_moved_and_deleted_touches_only_those_lines() -> None:
    text = VOORSTEL.read_text(encoding="utf-8")
    before = _loaded(text)["beslispunten"]  # type: ignore[index]
    inserted = edit_text(text, [Insert(("beslispunten",), 1, "Een nieuw beslispunt.")])
    assert _changed_lines(text, inserted) == ([], ["  - Een nieuw beslispunt."])
    assert _loaded(inserted)["beslispunten"] == [before[0], "Een nieuw beslispunt.", *before[1:]]  # type: ignore[index]
    moved = edit_text(inserted, [Move(("beslispunten",), 1, 0)])
    assert _loaded(moved)["beslispunten"] == ["Een nieuw beslispunt.", *before]  # type: ignore[index]
    deleted = edit_text(moved, [Delete(("beslispunten", 0))])
    assert deleted == text


@pytest.mark.parametrize("last", ["  - y\n", "  - >-\n    y\n    z\n", "  - |\n    y\n"])
def test_an_item_appended_goes_before_the_blank_line_that_ends_the_list(last: str) -> None:
    text = f"a:\n  - x\n{last}\n# over b\nb: 1\n"
    appended = edit_text(text, [Insert(("a",), 2, "nieuw")])
    assert appended == f"a:\n  - x\n{last}  - nieuw\n\n# over b\nb: 1\n"
    assert edit_text(appended, [Delete(("a", 2))]) == text


def test_text_with_lines_becomes_a_block_scalar_and_reads_back_exactly() -> None:
    text = LEUSDEN.read_text(encoding="utf-8")
    body = "Eerste alinea met een: dubbele punt.\n\n- een lijstpunt\n- # geen commentaar\n"
    new = edit_text(text, [Set(("lokaal_tekst",), body)])
    assert "lokaal_tekst: |\n  Eerste alinea" in new
    assert _loaded(new)["lokaal_tekst"] == body  # type: ignore[index]


@pytest.mark.parametrize(
    "value",
    ["2025-06-03", "54400", "€ 54.400", "nee", "NO", "0123", "12:30", "INVULLEN: zaaknummer", "a: b", "# geen",
     "- geen lijst", "[geen lijst]", "{geen}", "'quote", '"dubbel"', "&anker", "*alias", "!tag", "%", "@", "`",
     "tekst met  twee spaties", "null", "~", " spatie voor", "spatie na ", "?", "x #y", "ja, nee"],
)
def test_every_single_line_value_reads_back_as_the_same_string(value: str) -> None:
    new = edit_text(LEUSDEN.read_text(encoding="utf-8"), [Set(("waarden", "nieuw"), value)])
    assert _loaded(new)["waarden"]["nieuw"] == value  # type: ignore[index]


def test_dates_and_amounts_are_written_bare_as_a_clerk_writes_them() -> None:
    new = edit_text("", [Set(("datum_raad",), "2025-06-03"), Set(("waarden",), {"bedrag": "54400"})])
    assert new == "datum_raad: 2025-06-03\nwaarden:\n  bedrag: 54400\n"


def test_a_new_key_goes_where_the_order_puts_it() -> None:
    text = "status: concept\n# de vergadering\ndatum_raad: 2025-06-03\nwaarden:\n  a: b\n"
    order = ("status", "datum_college", "datum_raad", "waarden")
    new = edit_text(text, [Set(("datum_college",), "2025-05-01", order=order)])
    assert new.splitlines()[:2] == ["status: concept", "datum_college: 2025-05-01"]
    assert "# de vergadering\ndatum_raad: 2025-06-03" in new


def test_deleting_a_key_keeps_the_comment_that_belongs_to_the_next_one() -> None:
    text = "a: 1\nb: 2\n# over c\nc: 3\n"
    assert edit_text(text, [Delete(("b",))]) == "a: 1\n# over c\nc: 3\n"


def test_quoting_the_clerk_chose_is_kept_for_a_changed_value() -> None:
    new = edit_text('naam: "Leusden"\n', [Set(("naam",), "Soest")])
    assert new == 'naam: "Soest"\n'


def test_unusual_indentation_is_kept_outside_the_edit() -> None:
    text = "waarden:\n    a: 1\n    b: 2\nlijst:\n-   x\n-   y\n"
    new = edit_text(text, [Set(("waarden", "a"), "9")])
    assert _changed_lines(text, new) == (["    a: 1"], ["    a: 9"])


def test_a_short_list_of_words_is_written_in_flow_style() -> None:
    assert edit_text("", [Set(("global_goals",), [1, 8, 16])]) == "global_goals: [1, 8, 16]\n"


def test_apply_refuses_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    target = tmp_path / "leusden.yaml"
    target.write_text("status: concept\n", encoding="utf-8")
    _, seen = read_version(target)
    target.write_text("status: concept\n# iemand anders\n", encoding="utf-8")
    with pytest.raises(ConflictError, match="gewijzigd sinds het geladen werd"):
        apply_edits(target, [Set(("status",), "aangeboden")], expected=seen)
    assert target.read_text(encoding="utf-8") == "status: concept\n# iemand anders\n"


def test_apply_writes_atomically_and_returns_the_new_version(tmp_path: Path) -> None:
    target = tmp_path / "leusden.yaml"
    target.write_text("status: concept\n", encoding="utf-8")
    _, seen = read_version(target)
    version = apply_edits(target, [Set(("status",), "aangeboden")], expected=seen)
    assert target.read_text(encoding="utf-8") == "status: aangeboden\n"
    assert version == version_of(target.read_bytes()) != seen
    assert [p.name for p in tmp_path.iterdir()] == ["leusden.yaml"]  # no temporary file left


def test_apply_makes_a_new_file_below_its_header(tmp_path: Path) -> None:
    target = tmp_path / "gemeenten" / "soest.yaml"
    assert read_version(target) == ("", ABSENT)
    apply_edits(target, [Set(("status",), "concept")], expected=ABSENT, header="# Soest\n")
    assert target.read_text(encoding="utf-8") == "# Soest\nstatus: concept\n"


def test_apply_reports_a_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    target = tmp_path / "lijst.yaml"
    target.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(DataError, match="geen mapping"):
        apply_edits(target, [Set(("a",), "b")])


def test_an_item_added_at_the_end_of_a_list_goes_before_the_blank_line() -> None:
    text = "a:\n  - een\n  - twee\n\n# over b\nb: 1\n"
    appended = edit_text(text, [Insert(("a",), 2, "drie")])
    assert appended == "a:\n  - een\n  - twee\n  - drie\n\n# over b\nb: 1\n"
    assert edit_text(appended, [Delete(("a", 2))]) == text  # and deleting the last one keeps them too
    first = edit_text(text, [Insert(("a",), 0, "nul")])
    assert first == "a:\n  - nul\n  - een\n  - twee\n\n# over b\nb: 1\n"


def test_comment_lines_between_items_stay_with_their_item() -> None:
    text = "a:\n  - een\n  # over twee\n  - twee\n  - drie\nb: 1\n"
    inserted = edit_text(text, [Insert(("a",), 0, "nul")])
    assert inserted == "a:\n  - nul\n  - een\n  # over twee\n  - twee\n  - drie\nb: 1\n"
    assert edit_text(inserted, [Delete(("a", 0))]) == text


def test_a_placeholders_quotes_go_with_it() -> None:
    text = 'a: "INVULLEN: onderwerp"\nb: \'\'\nc: "Leusden"\n'
    new = edit_text(text, [Set(("a",), "Het onderwerp"), Set(("b",), "Tekst"), Set(("c",), "Soest")])
    assert new == 'a: Het onderwerp\nb: Tekst\nc: "Soest"\n'


def test_the_comment_after_a_value_stays_when_it_becomes_a_block_and_back() -> None:
    text = 'a: "INVULLEN: tekst"\n\n# 2. Volgende\nb: 1\n'
    block = edit_text(text, [Set(("a",), "Regel een.\n\nRegel twee.")])
    assert block == "a: |\n  Regel een.\n\n  Regel twee.\n\n# 2. Volgende\nb: 1\n"  # one blank line, as before
    assert edit_text(block, [Set(("a",), "Kort.")]) == "a: Kort.\n\n# 2. Volgende\nb: 1\n"


def test_a_replaced_or_lengthened_list_keeps_the_comment_after_it() -> None:
    text = "g: []\n\n# 19. Klimaat\nk: nvt\n"
    flow = edit_text(text, [Set(("g",), [3])])
    assert flow == "g: [3]\n\n# 19. Klimaat\nk: nvt\n"  # an empty [] list stays in flow style
    block = "g:\n  - 3\n\n# 19. Klimaat\nk: nvt\n"
    assert edit_text(block, [Set(("g",), [3, 10])]) == "g:\n  - 3\n  - 10\n\n# 19. Klimaat\nk: nvt\n"
    items = "a:\n  - k: 1\n    t: x\n\n# 7. Volgende\nb: 1\n"
    appended = edit_text(items, [Insert(("a",), 1, {"k": 2, "t": "y"})])
    assert appended == "a:\n  - k: 1\n    t: x\n  - k: 2\n    t: y\n\n# 7. Volgende\nb: 1\n"


def test_consecutive_edits_of_a_file_give_what_fresh_edits_give(tmp_path: Path) -> None:
    """The second save of a file starts from the data kept from the first (no parse): the same text as a fresh
    edit of the file as written, also when a failed edit came in between."""
    from generator.editing import yamlfile

    target = tmp_path / "voorstel.yaml"
    target.write_bytes(VOORSTEL.read_bytes())
    version = apply_edits(target, [Set(("onderwerp",), "Eerste")], read_version(target)[1])
    first = target.read_text(encoding="utf-8")
    assert yamlfile._WARM  # kept for the next save
    with pytest.raises(DataError, match="'beslispunten' bestaat niet"):
        apply_edits(target, [Set(("onderwerp",), "x"), Move(("beslispunten",), 0, 9)], version)
    assert target.read_text(encoding="utf-8") == first  # the failed edit wrote nothing
    apply_edits(target, [Set(("deadline",), "1 juli"), Insert(("beslispunten",), 0, "Nieuw.")], version)
    fresh = edit_text(first, [Set(("deadline",), "1 juli"), Insert(("beslispunten",), 0, "Nieuw.")])
    assert target.read_text(encoding="utf-8") == fresh
