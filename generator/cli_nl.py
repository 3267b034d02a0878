"""click's own texts in Dutch: "Gebruik:", "Fout:", "Toon deze hulp en stop." …

Why this way: click marks its texts for gettext (``from gettext import gettext as _`` in each module) but ships
no translations, and a .mo catalogue would be a build step for about thirty sentences. ``install()`` points the
``_`` and ``ngettext`` names of click's modules at this table instead; a text without a translation stays as
click wrote it, so a newer click can only fall back to English, never break.
"""

from __future__ import annotations

import importlib

import click

DUTCH: dict[str, str] = {
    "Usage:": "Gebruik:",
    "Options": "Opties",
    "Commands": "Opdrachten",
    "Positional arguments": "Argumenten",
    "Error: {message}": "Fout: {message}",
    "Try '{command} {option}' for help.": "Zie '{command} {option}' voor hulp.",
    "Show this message and exit.": "Toon deze hulp en stop.",
    "Show the version and exit.": "Toon de versie en stop.",
    "Aborted!": "Afgebroken.",
    "Missing argument": "Argument ontbreekt",
    "Missing option": "Optie ontbreekt",
    "Missing parameter": "Parameter ontbreekt",
    "Missing parameter: {param_name}": "Parameter ontbreekt: {param_name}",
    "Missing {param_type}": "{param_type} ontbreekt",
    "Missing command.": "Geef een opdracht.",
    "No such command {name!r}.": "Onbekende opdracht {name!r}.",
    "No such option {name!r}.": "Onbekende optie {name!r}.",
    "Option {name!r} does not take a value.": "Optie {name!r} neemt geen waarde.",
    "Option {name!r} requires an argument.": "Optie {name!r} heeft een waarde nodig.",
    "Option {name!r} requires {nargs} arguments.": "Optie {name!r} heeft {nargs} waarden nodig.",
    "Invalid value for {param_hint}: {message}": "Ongeldige waarde voor {param_hint}: {message}",
    "Invalid value: {message}": "Ongeldige waarde: {message}",
    "Got unexpected extra argument ({args})": "Onverwacht extra argument ({args})",
    "Got unexpected extra arguments ({args})": "Onverwachte extra argumenten ({args})",
    "Did you mean {possibility}?": "Bedoelde u {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Bedoelde u een van: {possibilities}?)",
    "{value!r} is not one of {choices}.": "{value!r} is geen van {choices}.",
    "{value!r} is not {choice}.": "{value!r} is niet {choice}.",
    "{value!r} is not a valid {number_type}.": "{value!r} is geen geldig {number_type}.",
    "{value} is not in the range {range}.": "{value} ligt niet in het bereik {range}.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} bestaat niet.",
    "{name} {filename!r} is a file.": "{name} {filename!r} is een bestand.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} is een map.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} is niet leesbaar.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} is niet schrijfbaar.",
    "Directory": "Map",
    "File": "Bestand",
    "Path": "Pad",
    "directory": "map",
    "file": "bestand",
    "path": "pad",
    "default: {default}": "standaard: {default}",
    "required": "verplicht",
    "%(prog)s, version %(version)s": "%(prog)s, versie %(version)s",
}

_MODULES = ("click.core", "click.decorators", "click.exceptions", "click.formatting", "click.parser", "click.types")


def gettext(message: str) -> str:
    return DUTCH.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


def install() -> None:
    """Make click speak Dutch in this process (idempotent)."""
    for name in _MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]


def dutch_metavars(group: click.Group) -> None:
    """"[OPTIES]" and "OPDRACHT [ARGUMENTEN]..." in the usage lines of ``group`` and its commands."""
    group.options_metavar = "[OPTIES]"
    group.subcommand_metavar = "OPDRACHT [ARGUMENTEN]..."
    for command in group.commands.values():
        command.options_metavar = "[OPTIES]"
