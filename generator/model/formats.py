"""The format version of a dossier's data files (``formaat: 1``) and the steps that bring an older one up to date.

Why a number in the data: a dossier lives for years, longer than one version of the generator. When the format
grows a required key (``gelet_op`` in format 1), a dossier written before it would otherwise meet a wall of
"field missing" messages, once per municipality. With the number the generator knows the dossier is old and
says once what to add; ``raadsvoorstel bijwerken`` adds it (through ``generator.editing``, showing the diff
first). Every later change to the format adds its ``Step`` here.

A dossier without ``formaat`` that already has everything the current format needs is simply current: the
number is written by ``new`` and by ``bijwerken``, never demanded for its own sake.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.errors import Location, Problems
from generator.sources.dossier import DossierFiles
from generator.sources.layout import PROPOSAL_FILE

__all__ = ["CURRENT", "STEPS", "Step", "check_format", "missing_steps", "version_of"]

#: The format this version of the generator writes and reads.
CURRENT = 1


@dataclass(frozen=True)
class Step:
    """What format ``version`` added to ``voorstel.yaml``: a key, what it is (Dutch), and the value to start with."""

    version: int
    key: str
    what: str
    start: object


STEPS: tuple[Step, ...] = (
    Step(
        1,
        "gelet_op",
        "de wettelijke grondslagen van het raadsbesluit ('gelet op …', bv. artikel 108 van de Gemeentewet)",
        ["INVULLEN: wettelijke grondslag, bijvoorbeeld artikel 108 van de Gemeentewet"],
    ),
)


def version_of(data: object) -> int | None:
    """The ``formaat`` of a data file's mapping: a number, 0 when absent, None when it is not a whole number."""
    if not isinstance(data, dict):
        return 0
    value = data.get("formaat")
    if value is None:
        return 0
    try:
        return int(str(value))
    except ValueError:
        return None


def missing_steps(data: object) -> list[Step]:
    """The steps of the format that ``voorstel.yaml``'s ``data`` still lacks."""
    found = version_of(data) or 0
    keys = data if isinstance(data, dict) else {}
    return [step for step in STEPS if step.version > found and step.key not in keys]


def check_format(files: DossierFiles, folder: str, problems: Problems) -> bool:
    """One clear message when the dossier is written for another format; False when its data cannot be read as
    the current format (the caller stops there instead of reporting every missing key per municipality)."""
    ok = True
    for loaded in (files.base, *files.overlays.values()):
        if loaded is None:
            continue
        version = version_of(loaded.data)
        where = loaded.source.key(("formaat",)) or Location(loaded.name)
        if version is None or version > CURRENT:
            problems.error(
                where,
                "formaat",
                f"formaat {loaded.data.get('formaat')!s} kent deze versie van raadsvoorstel niet (die leest formaat "
                f"{CURRENT}); werk raadsvoorstel bij",
            )
            ok = False
    if files.base is None:
        return ok
    steps = missing_steps(files.base.data)
    if steps:
        version = version_of(files.base.data) or 0
        what = "; ".join(f"'{step.key}': {step.what}" for step in steps)
        problems.error(
            Location(files.base.name, 1),
            "formaat",
            f"{PROPOSAL_FILE} is geschreven voor een eerdere versie (formaat {version}, nu {CURRENT}); voeg toe: "
            f"{what}. Of laat het doen met: raadsvoorstel bijwerken {folder} (toont eerst de wijziging)",
        )
        ok = False
    return ok
