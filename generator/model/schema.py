"""JSON Schemas of the data files, so editors (VS Code's YAML extension) validate and complete them.

Three schemas: ``voorstel`` (a dossier's voorstel.yaml), ``overlay`` (gemeenten/<gemeente>.yaml: the same
keys, all optional) and ``gemeenten`` (the registry).
"""

from __future__ import annotations

import json
from typing import Any

SCHEMAS = ("voorstel", "overlay", "gemeenten")


def schema(kind: str) -> dict[str, Any]:
    from generator.model.proposal import Register, Voorstel
    from generator.model.sections import BY_KEY

    if kind == "gemeenten":
        result = Register.model_json_schema(by_alias=True)
        result["title"] = "Gemeenten van de regio (gemeenten.yaml)"
    else:
        result = Voorstel.model_json_schema(by_alias=True)
        for key, prop in result.get("properties", {}).items():
            spec = BY_KEY.get(key)
            if spec is not None:  # every section says its number and title, from the table
                prop["description"] = f"{spec.number}. {spec.title}: {prop.get('description', spec.hint)}"
        result["title"] = "Raadsvoorstel (voorstel.yaml)"
        if kind == "overlay":
            result.pop("required", None)
            result["title"] = "Afwijkingen per gemeente (gemeenten/<gemeente>.yaml)"
    result["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return result


def schema_text(kind: str) -> str:
    return json.dumps(schema(kind), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
