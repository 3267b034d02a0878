"""The names of a project's data files and folders, in one place.

Why a module of its own: the CLI, batch planning and the loader all need these names, and some of them must
stay cheap to import (no YAML parser, no models).
"""

from __future__ import annotations

__all__ = ["JOURNAL_FILE", "KINDS", "MANIFEST_FILE", "OVERLAY_DIR", "PROPOSAL_FILE", "REGISTRY_FILE"]

#: The registry of municipalities, in the proposals folder.
REGISTRY_FILE = "gemeenten.yaml"
#: A dossier's shared text, in the dossier folder.
PROPOSAL_FILE = "voorstel.yaml"
#: The folder of per-municipality overlays, in the dossier folder.
OVERLAY_DIR = "gemeenten"
#: The documents each municipality gets, in build order: ``<kind>-<dossier>-<gemeente>.<ext>``.
KINDS = ("raadsvoorstel", "raadsbesluit")

#: The batch's record of what it built, in its output folder (``batch.manifest``).
MANIFEST_FILE = "manifest.json"
#: Documents finished since the manifest was last saved, one JSON line each (``batch.manifest``).
JOURNAL_FILE = ".raadsvoorstel-journaal.jsonl"
