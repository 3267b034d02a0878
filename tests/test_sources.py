"""Tests for generator.sources: safe YAML loading into plain data plus a source map.

Every rule is checked with exact line (and where it matters column) numbers, because a clerk fixes a file by
going to the line we name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml.error import YAMLError

from generator.errors import DataError, Location
from generator.sources import MAX_BYTES, ScalarInfo, SourceMap, load_yaml, load_yaml_text

FILE = "voorstel.yaml"


def load(text: str | bytes) -> tuple[Any, SourceMap]:
    return load_yaml_text(text, FILE)


def problems(text: str | bytes) -> list[str]:
    """The problems of an invalid text, as the CLI prints them."""
    with pytest.raises(DataError) as info:
        load(text)
    return [str(p) for p in info.value.problems]


def only_problem(text: str | bytes) -> str:
    found = problems(text)
    assert len(found) == 1, found
    return found[0]


def loc(line: int, column: int = 0) -> Location:
    return Location(FILE, line, column)


# -- data ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    ["NO", "yes", "on", "off", "y", "0123", "0x1F", "12:30", "1.0", "1e3", "2025-03-12", "true", ".inf", "-.nan"],
)
def test_yaml_1_1_values_stay_strings(written: str) -> None:
    data, _ = load(f"waarde: {written}\n")
    assert data == {"waarde": written}


@pytest.mark.parametrize("written", ["", "~", "null", "Null", "NULL"])
def test_plain_null_spellings_are_none(written: str) -> None:
    data, _ = load(f"waarde: {written}\n")
    assert data == {"waarde": None}


@pytest.mark.parametrize(
    ("written", "expected"),
    [('"null"', "null"), ("'~'", "~"), ('""', ""), ("''", ""), ("nUll", "nUll"), ("none", "none")],
)
def test_quoted_or_other_spellings_are_strings(written: str, expected: str) -> None:
    data, _ = load(f"waarde: {written}\n")
    assert data == {"waarde": expected}


def test_keys_are_always_strings() -> None:
    data, _ = load("1: a\nyes: b\nnull: c\n~: d\n2025-01-01: e\n")
    assert data == {"1": "a", "yes": "b", "null": "c", "~": "d", "2025-01-01": "e"}


def test_mapping_keeps_file_order_and_nests() -> None:
    data, _ = load("z: 1\na:\n  - x\n  - {c: 2}\nm: |\n  regel\n")
    assert list(data) == ["z", "a", "m"]
    assert data == {"z": "1", "a": ["x", {"c": "2"}], "m": "regel\n"}


@pytest.mark.parametrize("text", ["", "# alleen commentaar\n", "---\n", "\n\n"])
def test_empty_file_is_none(text: str) -> None:
    data, source = load(text)
    assert data is None
    assert list(source.paths()) == []


# -- source map ------------------------------------------------------------------------------------------------


def test_source_map_paths_for_nested_flow_data() -> None:
    _, source = load("a: {b: [x, {c: 1}]}\n")
    assert list(source.paths()) == [("a",), ("a", "b"), ("a", "b", 0), ("a", "b", 1), ("a", "b", 1, "c")]
    assert source.key(("a",)) == loc(1, 1)
    assert source.value(("a",)) == loc(1, 4)
    assert source.key(("a", "b")) == loc(1, 5)
    assert source.value(("a", "b")) == loc(1, 8)
    assert source.key(("a", "b", 0)) == source.value(("a", "b", 0)) == loc(1, 9)
    assert source.key(("a", "b", 1)) == source.value(("a", "b", 1)) == loc(1, 12)
    assert source.key(("a", "b", 1, "c")) == loc(1, 13)
    assert source.value(("a", "b", 1, "c")) == loc(1, 16)


def test_source_map_block_style_locations() -> None:
    text = "titel: Impuls\nbeslispunten:\n  - tekst: Eerste\n    nummer: '1'\n  - Tweede\n"
    _, source = load(text)
    assert source.key(("titel",)) == loc(1, 1)
    assert source.value(("titel",)) == loc(1, 8)
    assert source.value(("beslispunten",)) == loc(3, 3)
    assert source.key(("beslispunten", 0)) == loc(3, 5)
    assert source.key(("beslispunten", 0, "nummer")) == loc(4, 5)
    assert source.value(("beslispunten", 0, "nummer")) == loc(4, 13)
    assert source.key(("beslispunten", 1)) == loc(5, 5)
    assert source.file == FILE


def test_empty_value_is_located_at_its_key_not_at_the_next_token() -> None:
    _, source = load("a:\n# commentaar\n\nb: x\n")
    value = source.value(("a",))
    assert value is not None
    assert value.line == 1


def test_items_gives_path_key_and_value() -> None:
    _, source = load("a:\n  - b\n")
    assert list(source.items()) == [(("a",), loc(1, 1), loc(2, 3)), (("a", 0), loc(2, 5), loc(2, 5))]


def test_nearest_falls_back_to_longest_known_prefix_then_file() -> None:
    _, source = load("a:\n  b: x\n")
    assert source.nearest(("a", "b")) == loc(2, 6)
    assert source.nearest(("a", "ontbreekt", 3)) == loc(2, 3)
    assert source.nearest(("ontbreekt",)) == Location(FILE)
    assert source.nearest(()) == Location(FILE)
    assert source.key(("ontbreekt",)) is None
    assert source.value(("ontbreekt",)) is None
    assert source.scalar(("ontbreekt",)) is None


def test_scalar_info_for_plain_and_quoted() -> None:
    _, source = load("a: tekst\nb: 'x'\nc: {d: \"y\"}\n")
    assert source.scalar(("a",)) == ScalarInfo(loc(1, 4), 1, False)
    assert source.scalar(("b",)) == ScalarInfo(loc(2, 4), 2, False)
    assert source.scalar(("c", "d")) == ScalarInfo(loc(3, 8), 3, False)
    assert source.scalar(("c",)) is None  # a mapping, not a scalar


@pytest.mark.parametrize("indicator", ["|", ">", "|-", ">+", "|2"])
def test_block_scalar_content_starts_on_the_next_line(indicator: str) -> None:
    _, source = load(f"intro: x\ntekst: {indicator}\n  Eerste regel.\n  Tweede regel.\n")
    info = source.scalar(("tekst",))
    assert info == ScalarInfo(loc(2, 8), 3, True)


# -- structural problems ---------------------------------------------------------------------------------------


def test_duplicate_key_names_both_lines() -> None:
    message = only_problem("titel: a\nnummer: 1\ntitel: b\n")
    assert message.startswith(f"{FILE}:3:1: ")
    assert "sleutel 'titel' staat hier voor de tweede keer (eerder op regel 1)" in message


def test_duplicate_key_in_nested_mapping() -> None:
    message = only_problem("a:\n  b: 1\nc: 2\nd:\n  b: 3\n  b: 4\n")
    assert message.startswith(f"{FILE}:6:3: ")
    assert "regel 5" in message


def test_duplicate_key_keeps_first_location_in_map() -> None:
    with pytest.raises(DataError):
        load("a:\n  b: 1\na:\n  b: 2\n")
    # Same key in different mappings is fine.
    data, _ = load("a:\n  b: 1\nc:\n  b: 2\n")
    assert data == {"a": {"b": "1"}, "c": {"b": "2"}}


def test_anchor_and_alias_are_refused() -> None:
    found = problems("basis: &b 100\nbedrag: *b\n")
    assert len(found) == 2
    assert found[0].startswith(f"{FILE}:1:8: ankers en verwijzingen (&, *) zijn niet toegestaan")
    assert "&b" in found[0]
    assert found[1].startswith(f"{FILE}:2:9: ankers en verwijzingen (&, *) zijn niet toegestaan")
    assert "schrijf de waarde uit" in found[1]


def test_merge_key_is_refused_via_its_alias() -> None:
    found = problems("a: &x {b: 1}\nc:\n  <<: *x\n")
    assert [p.split(": ", 1)[0] for p in found] == [f"{FILE}:1:4", f"{FILE}:3:7"]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("!!str 12", "!!str"),
        ("!foo x", "!foo"),
        ("!!python/object:os.system x", "!!python/object:os.system"),
        ("! x", "!"),
        ("!!map {b: 1}", "!!map"),
    ],
)
def test_explicit_tags_are_refused(value: str, shown: str) -> None:
    message = only_problem(f"a: x\nb: {value}\n")
    assert message.startswith(f"{FILE}:2:4: expliciete tags zoals '!!str' zijn niet toegestaan")
    assert f"'{shown}'" in message


def test_tag_on_a_key_is_refused() -> None:
    assert only_problem("!!str a: x\n").startswith(f"{FILE}:1:1: expliciete tags")


def test_second_document_is_refused_at_its_line() -> None:
    message = only_problem("a: 1\nb: 2\n---\nc: 3\n")
    assert message.startswith(f"{FILE}:3:1: ")
    assert "tweede YAML-document" in message


def test_explicit_single_document_is_fine() -> None:
    data, _ = load("---\na: 1\n...\n")
    assert data == {"a": "1"}


def test_collection_as_key_is_refused() -> None:
    message = only_problem("? [a, b]\n: x\nc: 1\n")
    assert message.startswith(f"{FILE}:1:3: een sleutel moet gewone tekst zijn")


def test_empty_key_is_refused() -> None:
    assert only_problem("a: 1\n: x\n").startswith(f"{FILE}:2:1: hier ontbreekt een sleutel")


def test_absurd_nesting_is_refused_quickly() -> None:
    message = only_problem("a: " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert "dieper genest dan 50 niveaus" in message


# -- syntax errors -----------------------------------------------------------------------------------------------


def test_syntax_error_is_dutch_with_position_and_parser_text() -> None:
    with pytest.raises(DataError) as info:
        load("titel: Besluit: vaststellen\n")
    (problem,) = info.value.problems
    assert problem.location == loc(1, 15)
    assert problem.message.startswith("ongeldige YAML: ")
    assert "aanhalingstekens" in problem.message
    assert problem.message.endswith("(mapping values are not allowed here)")
    assert isinstance(info.value.__cause__, YAMLError)


def test_unclosed_quote_is_reported_where_it_opens() -> None:
    message = only_problem('a: 1\nb: "niet dicht\nc: 2\nd: 3\n')
    assert message.startswith(f"{FILE}:2:4: ongeldige YAML: een aanhalingsteken wordt niet afgesloten")


def test_bad_indentation_reports_the_offending_line() -> None:
    message = only_problem("a:\n  b: 1\n c: 2\n")
    assert message.startswith(f"{FILE}:3:2: ongeldige YAML: ")
    assert "inspringing" in message


def test_problems_before_a_syntax_error_are_kept() -> None:
    found = problems("a: 1\na: 2\nb: *x\nc: [1\n")
    assert [p.split(": ", 1)[0] for p in found] == [f"{FILE}:2:1", f"{FILE}:3:4", f"{FILE}:4:4"]
    assert "ongeldige YAML" in found[2]


# -- characters ---------------------------------------------------------------------------------------------------


def test_tab_is_reported_per_line_and_not_again_as_syntax_error() -> None:
    found = problems("a: 1\n\tb: 2\nc:\tx\nd: 4\n")
    assert found == [
        f"{FILE}:2:1: tab-teken; gebruik spaties in plaats van tabs",
        f"{FILE}:3:3: tab-teken; gebruik spaties in plaats van tabs",
    ]


def test_many_tabs_are_capped_with_a_summary() -> None:
    text = "".join(f"k{i}:\tv\n" for i in range(1, 31))
    found = problems(text)
    assert len(found) == 21
    assert found[19].startswith(f"{FILE}:20:5: tab-teken")
    assert found[20].startswith(f"{FILE}:21:5: en nog 10 regels met tabs")


@pytest.mark.parametrize(
    ("char", "expect"),
    [
        ("\x00", "U+0000"),
        ("\x07", "U+0007"),
        ("\x1b", "U+001B"),
        ("\x7f", "U+007F"),
        ("\x85", "U+0085"),
        ("\x9f", "U+009F"),
        ("\ufffe", "U+FFFE"),
        ("\uffff", "U+FFFF"),
        ("\u2028", "U+2028"),
        ("\ufeff", "U+FEFF"),
    ],
)
def test_forbidden_character_in_raw_text_is_located(char: str, expect: str) -> None:
    message = only_problem(f"a: 1\nb: 2\nc: ab{char}cd\n")
    assert message.startswith(f"{FILE}:3:6: ")
    assert expect in message


def test_lone_carriage_return_is_an_error_but_crlf_is_fine() -> None:
    message = only_problem("a: 1\nb: x\ry\n")
    assert message.startswith(f"{FILE}:2:5: losse regelterugloop")


def test_crlf_line_endings() -> None:
    data, source = load(b"a: 1\r\nb: |\r\n  regel een\r\n  regel twee\r\nc: x\r\n")
    assert data == {"a": "1", "b": "regel een\nregel twee\n", "c": "x"}
    assert source.value(("c",)) == loc(5, 4)
    assert source.scalar(("b",)) == ScalarInfo(loc(2, 4), 3, True)


def test_crlf_line_numbers_in_problems() -> None:
    message = only_problem(b"a: 1\r\nb: 2\r\na: 3\r\n")
    assert message.startswith(f"{FILE}:3:1: ")
    assert "regel 1" in message


def test_leading_bom_is_stripped_and_does_not_shift_columns() -> None:
    data, source = load(b"\xef\xbb\xbftitel: x\n")
    assert data == {"titel": "x"}
    assert source.key(("titel",)) == loc(1, 1)
    assert source.value(("titel",)) == loc(1, 8)


def test_lone_surrogate_escape_in_double_quotes_is_reported_at_its_line() -> None:
    message = only_problem('a: 1\nb: 2\nc: "x\\ud800y"\n')
    assert message.startswith(f"{FILE}:3:4: ")
    assert "U+D800" in message


@pytest.mark.parametrize(
    ("escape", "expect"), [("\\uFFFE", "U+FFFE"), ("\\x85", "U+0085"), ("\\0", "U+0000"), ("\\L", "U+2028")]
)
def test_forbidden_character_via_escape_is_reported(escape: str, expect: str) -> None:
    message = only_problem(f'a: 1\nb: "x{escape}y"\n')
    assert message.startswith(f"{FILE}:2:4: ")
    assert expect in message


def test_forbidden_character_via_escape_in_a_key() -> None:
    assert only_problem('a: 1\n"k\\x07": x\n').startswith(f"{FILE}:2:1: ")


def test_tab_and_newline_escapes_are_allowed_in_values() -> None:
    data, _ = load('a: "kolom\\tkolom\\nregel"\n')
    assert data == {"a": "kolom\tkolom\nregel"}


def test_invalid_utf8_reports_line_of_first_bad_byte() -> None:
    # Column counts characters: the two-byte "ë" before the bad byte is one column.
    raw = "a: 1\nb: 2\nc: 3\nd: ë caf".encode() + b"\xe9\n" + b"e: \xff\n"
    message = only_problem(raw)
    assert message.startswith(f"{FILE}:4:9: bestand is geen geldige UTF-8")
    assert "sla het op als UTF-8" in message


def test_invalid_utf8_does_not_hide_other_problems() -> None:
    found = problems(b"a: caf\xe9\nb: 1\nb: 2\n")
    assert [p.split(": ", 1)[0] for p in found] == [f"{FILE}:1:7", f"{FILE}:3:1"]


def test_utf16_file_is_refused() -> None:
    message = only_problem("a: 1\n".encode("utf-16"))
    assert "UTF-16" in message
    assert "UTF-8" in message


# -- size ------------------------------------------------------------------------------------------------------------


def test_file_over_one_megabyte_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "groot.yaml"
    path.write_bytes(b"a: " + b"x" * (MAX_BYTES - 3) + b"\n")  # one byte too many; would parse fine
    with pytest.raises(DataError) as info:
        load_yaml(path, "groot.yaml")
    (problem,) = info.value.problems
    assert problem.location == Location("groot.yaml")
    assert problem.message.startswith("bestand is groter dan 1 MB")


def test_file_of_exactly_one_megabyte_is_accepted() -> None:
    data, _ = load(b"#" * (MAX_BYTES - 1) + b"\n")
    assert data is None


def test_large_text_is_refused_in_memory_too() -> None:
    assert "groter dan 1 MB" in only_problem("#" * (MAX_BYTES + 1))
    assert "groter dan 1 MB" in only_problem("# " + "é" * (MAX_BYTES // 2))  # 2 bytes per character


# -- several problems at once ---------------------------------------------------------------------------------------


def test_all_problems_are_reported_together_in_file_order() -> None:
    text = (
        "titel:\tImpuls\n"  # 1: tab
        "nummer: 1\n"  # 2
        "bedrag: &b 10\n"  # 3: anchor
        "nummer: 2\n"  # 4: duplicate of line 2
        "totaal: *b\n"  # 5: alias
        "soort: !!str x\n"  # 6: tag
        'teken: "\\ud800"\n'  # 7: lone surrogate
    )
    with pytest.raises(DataError) as info:
        load(text)
    lines = [p.location.line for p in info.value.problems]
    assert lines == [1, 3, 4, 5, 6, 7]
    assert "regel 2" in info.value.problems[2].message


# -- files and parity -------------------------------------------------------------------------------------------------


def test_load_yaml_and_load_yaml_text_agree(tmp_path: Path) -> None:
    good = "a:\n  - x\n  - b: |\n      tekst\nc: ~\n"
    path = tmp_path / "v.yaml"
    path.write_text(good, encoding="utf-8")
    from_file = load_yaml(path, FILE)
    from_text = load_yaml_text(good, FILE)
    from_bytes = load_yaml_text(good.encode(), FILE)
    assert from_file[0] == from_text[0] == from_bytes[0]
    assert list(from_file[1].items()) == list(from_text[1].items()) == list(from_bytes[1].items())

    bad = "a: 1\na: 2\nb: *x\n"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(DataError) as from_file_error:
        load_yaml(path, FILE)
    with pytest.raises(DataError) as from_text_error:
        load_yaml_text(bad, FILE)
    assert from_file_error.value.problems == from_text_error.value.problems
    assert len(from_file_error.value.problems) == 2


def test_lone_surrogate_in_str_input_is_invalid_utf8_with_line() -> None:
    message = only_problem("a: 1\nb: x\udcff\n")  # as produced by errors="surrogateescape"
    assert message.startswith(f"{FILE}:2:5: bestand is geen geldige UTF-8")


def test_display_name_defaults_to_path_relative_to_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "dossier").mkdir()
    path = tmp_path / "dossier" / "voorstel.yaml"
    path.write_text("a: 1\na: 2\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DataError) as info:
        load_yaml(path)
    assert str(info.value.problems[0]).startswith("dossier/voorstel.yaml:2:1: ")
    _, source = load_yaml_text("a: 1\n", "anders.yaml")
    assert source.file == "anders.yaml"
    assert source.nearest(("x",)) == Location("anders.yaml")


def test_missing_file_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError) as info:
        load_yaml(tmp_path / "weg.yaml", "weg.yaml")
    (problem,) = info.value.problems
    assert problem.location == Location("weg.yaml")
    assert "bestaat niet" in problem.message
    assert isinstance(info.value.__cause__, FileNotFoundError)


def test_an_unreadable_data_file_is_a_problem_at_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read error of the machine (no permission: as root a mode of 000 does not stop a read, so the error
    is raised here) becomes a Dutch problem at the file, which validate and the preview show, not a crash."""
    from pathlib import PurePosixPath

    from generator.sources.dossier import FsTree

    (tmp_path / "voorstel.yaml").write_text("onderwerp: x\n", encoding="utf-8")

    def refused(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refused)
    with pytest.raises(DataError) as caught:
        FsTree(tmp_path).read_bytes(PurePosixPath("voorstel.yaml"))
    (problem,) = caught.value.problems
    assert problem.message == "het bestand is niet te lezen: geen toestemming"
    assert problem.location.file.endswith("voorstel.yaml")
