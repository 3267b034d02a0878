"""ruamel.yaml's syntax errors as Dutch problems a clerk can act on.

The parser's English description stays in parentheses: it is precise, and a developer helping the clerk can
search for it. The Dutch part guesses the usual cause in clerk-written files and says what to change.
"""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml.error import MarkedYAMLError, YAMLError

from generator.errors import Location, Problem

# (fragment of ruamel's problem text, Dutch advice); the first matching fragment wins.
_ADVICE: tuple[tuple[str, str], ...] = (
    (
        "mapping values are not allowed here",
        "hier staat een dubbele punt met spatie (': ') midden in een waarde, of de regel springt te ver in; "
        "zet tekst met een dubbele punt tussen aanhalingstekens of in een blok met '|'",
    ),
    (
        "could not find expected ':'",
        "na een sleutel ontbreekt de dubbele punt (':'), of een tekst loopt door op de volgende regel zonder "
        "in te springen; zet lange tekst in een blok met '|'",
    ),
    (
        "found unexpected end of stream",
        "een aanhalingsteken wordt niet afgesloten; zet hetzelfde aanhalingsteken aan het eind van de tekst "
        "(een ' binnen enkele aanhalingstekens schrijf je als '')",
    ),
    (
        "found unknown escape character",
        "onbekende '\\'-code tussen dubbele aanhalingstekens; gebruik enkele aanhalingstekens, "
        "of schrijf '\\\\' voor een backslash",
    ),
    (
        "that cannot start any token",
        "een waarde mag niet met dit teken beginnen; zet de tekst tussen aanhalingstekens",
    ),
    (
        "expected a comment or a line break",
        "na deze waarde staat nog iets op dezelfde regel; zet de hele tekst tussen aanhalingstekens",
    ),
    (
        "sequence entries are not allowed here",
        "een lijstpunt ('- ') staat op een plek waar geen lijst kan beginnen; controleer de inspringing",
    ),
    (
        "expected ',' or ",
        "een lijst of mapping tussen haakjes ('[ ]' of '{ }') wordt niet goed afgesloten; "
        "controleer de haakjes en komma's",
    ),
    (
        "expected <block end>",
        "deze regel past niet bij de regels erboven: de inspringing klopt niet, of er staat tekst na een "
        "afsluitend aanhalingsteken; lijn regels op hetzelfde niveau precies uit met spaties",
    ),
    (
        "block scalar",
        "de inspringing van dit tekstblok ('|' of '>') klopt niet; laat alle regels van het blok minstens "
        "zo ver inspringen als de eerste",
    ),
)
_DEFAULT_ADVICE = "controleer de inspringing, dubbele punten en aanhalingstekens rond deze plek"


def _location(file: str, mark: Any) -> Location:
    return Location(file, mark.line + 1, mark.column + 1)


# A value that opens a quote: "key: \"…", "key: '…", "- \"…"
_OPENING_RE = re.compile(r"""^\s*(?:[^\s#:'"][^:#]*:|-)\s+(["'])(.*)$""")


def _unclosed_quote(text: str, before: int) -> tuple[int, int] | None:
    """Line and column (0-based) of the last opening quote before line ``before`` that is not closed on its line.

    Such a value runs on until the next quote character somewhere below, and the parser complains there, often
    many lines later; the clerk's mistake is at the opening quote.
    """
    found = None
    for number, line in enumerate(text.split("\n")[:before]):
        match = _OPENING_RE.match(line)
        if match is None:
            continue
        quote, rest = match.groups()
        rest = rest.replace("''", "") if quote == "'" else re.sub(r"\\.", "", rest)
        if quote not in rest:
            found = (number, match.start(1))
    return found


def syntax_problem(exc: YAMLError, file: str, text: str | None = None) -> Problem:
    """One problem for a parser exception, placed where the clerk has to look.

    With the file's ``text``, a quote left open on an earlier line is reported at that line, not where the
    parser finally gave up.
    """
    if not isinstance(exc, MarkedYAMLError) or exc.problem_mark is None:
        return Problem(Location(file), "", f"ongeldige YAML: {_DEFAULT_ADVICE} ({exc})")
    problem = str(exc.problem or "")
    advice = next((dutch for fragment, dutch in _ADVICE if fragment in problem), _DEFAULT_ADVICE)
    mark = exc.problem_mark
    english = problem
    if exc.context_mark is not None and exc.context:
        # An unclosed quote or bracket is detected at the end of the file; its start is what needs fixing.
        if "end of stream" in problem or "<stream end>" in problem:
            mark = exc.context_mark
        english = f"{exc.context} at line {exc.context_mark.line + 1}: {problem}"
    if text is not None and mark is exc.problem_mark:
        opened = _unclosed_quote(text, mark.line)
        if opened is not None:
            advice = next(dutch for fragment, dutch in _ADVICE if fragment == "found unexpected end of stream")
            return Problem(
                Location(file, opened[0] + 1, opened[1] + 1),
                "",
                f"ongeldige YAML: {advice}; de tekst loopt nu door tot regel {mark.line + 1} ({english})",
            )
    return Problem(_location(file, mark), "", f"ongeldige YAML: {advice} ({english})")
