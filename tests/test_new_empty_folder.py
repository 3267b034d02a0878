"""``new`` in an empty folder: it writes the registry to fill in and schema links that resolve there."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator import api
from generator.core.scaffold import EXAMPLE_REGISTRY, example_registry
from generator.model.schema import SCHEMAS, schema_text
from generator.sources import load_yaml
from tests.conftest import PROPOSALS, Invoke

LINK = re.compile(r"# yaml-language-server: \$schema=(\S+)")


def linked_schemas(folder: Path) -> dict[Path, Path]:
    """Every YAML file below ``folder`` and the schema file its first line points at (resolved)."""
    links = {}
    for path in sorted(folder.rglob("*.yaml")):
        match = LINK.fullmatch(path.read_text(encoding="utf-8").splitlines()[0])
        assert match, path
        links[path] = (path.parent / match.group(1)).resolve()
    return links


def test_the_package_example_is_the_example_region() -> None:
    shipped, _ = load_yaml(EXAMPLE_REGISTRY)
    ours, _ = load_yaml(PROPOSALS / "gemeenten.yaml")
    assert shipped == ours


def test_new_in_an_empty_folder_writes_registry_and_schemas_that_the_links_reach(
    tmp_path: Path, cli: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("new", "jeugdhulp", "-g", "leusden", "-g", "soest")
    assert result.exit_code == 0, result.output
    assert "gemeenten.yaml is nieuw" in result.output
    registry, _ = load_yaml(tmp_path / "gemeenten.yaml")
    example = example_registry()
    assert registry["gemeenten"] == {slug: example[slug] for slug in ("leusden", "soest")}

    links = linked_schemas(tmp_path)
    assert set(links) == {
        tmp_path / "gemeenten.yaml",
        tmp_path / "jeugdhulp" / "voorstel.yaml",
        tmp_path / "jeugdhulp" / "gemeenten" / "leusden.yaml",
        tmp_path / "jeugdhulp" / "gemeenten" / "soest.yaml",
    }
    kinds = {"gemeenten.yaml": "gemeenten", "voorstel.yaml": "voorstel"}
    for path, schema_file in links.items():
        kind = kinds.get(path.name, "overlay")
        assert schema_file == tmp_path / "schema" / f"{kind}.schema.json", path
        assert schema_file.read_text(encoding="utf-8") == schema_text(kind)
        json.loads(schema_file.read_text(encoding="utf-8"))

    checked = cli("validate", "jeugdhulp")
    assert checked.exit_code == 0, checked.output
    assert "0 fout(en)" in checked.output


def test_new_without_municipalities_takes_the_whole_example_region(tmp_path: Path, cli: Invoke) -> None:
    result = cli("new", tmp_path / "jeugdhulp")
    assert result.exit_code == 0, result.output
    written = sorted(p.stem for p in (tmp_path / "jeugdhulp" / "gemeenten").iterdir())
    assert written == sorted(example_registry())
    assert api.validate([tmp_path / "jeugdhulp"]).errors == ()


def test_a_municipality_the_example_does_not_know_gets_an_entry_to_fill_in(
    tmp_path: Path, cli: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli("new", tmp_path / "jeugdhulp", "-g", "leusden", "-g", "bergen-op-zoom").exit_code == 0
    text = (tmp_path / "gemeenten.yaml").read_text(encoding="utf-8")
    assert "naam: Bergen op zoom  # controleer de schrijfwijze" in text
    line = text.splitlines().index('    cbs_code: "INVULLEN: CBS-gemeentecode, bv. GM0327"') + 1
    # the CBS code cannot be guessed: validate stops at its line until the clerk fills it in
    errors = [str(p) for p in api.validate([tmp_path / "jeugdhulp"]).errors]
    assert errors == [f"gemeenten.yaml:{line}:15: veld 'gemeenten.bergen-op-zoom.cbs_code': "
                      "heeft niet de juiste vorm (patroon ^GM[0-9]{4}$)"]  # fmt: skip


def test_a_second_dossier_keeps_the_registry_and_the_schema_folder(tmp_path: Path, cli: Invoke) -> None:
    assert cli("new", tmp_path / "eerste", "-g", "leusden").exit_code == 0
    registry = (tmp_path / "gemeenten.yaml").read_bytes()
    second = cli("new", tmp_path / "tweede", "-g", "leusden")
    assert second.exit_code == 0, second.output
    assert "gemeenten.yaml" not in second.output and "schema" not in second.output
    assert (tmp_path / "gemeenten.yaml").read_bytes() == registry
    assert sorted(p.name for p in (tmp_path / "schema").iterdir()) == sorted(f"{k}.schema.json" for k in SCHEMAS)
    assert api.dossier_folders(tmp_path) == [tmp_path / "eerste", tmp_path / "tweede"]  # schema/ is no dossier


def test_a_schema_folder_beside_the_proposals_folder_is_used_as_it_is(tmp_path: Path, cli: Invoke) -> None:
    """The layout of this repository: schema/ beside proposals/, links two and three levels up."""
    for kind in SCHEMAS:
        (tmp_path / "schema").mkdir(exist_ok=True)
        (tmp_path / "schema" / f"{kind}.schema.json").write_text(schema_text(kind), encoding="utf-8")
    (tmp_path / "proposals").mkdir()
    assert cli("new", tmp_path / "proposals" / "jeugdhulp", "-g", "soest").exit_code == 0
    assert not (tmp_path / "proposals" / "schema").exists()
    links = linked_schemas(tmp_path / "proposals")
    assert links[tmp_path / "proposals" / "jeugdhulp" / "voorstel.yaml"] == tmp_path / "schema" / "voorstel.schema.json"
    first = (tmp_path / "proposals" / "jeugdhulp" / "gemeenten" / "soest.yaml").read_text(encoding="utf-8")
    assert first.startswith("# yaml-language-server: $schema=../../../schema/overlay.schema.json\n")
