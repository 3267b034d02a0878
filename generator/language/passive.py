"""Passive voice in Dutch, found by rule: a form of "worden" or "zijn" together with a past participle.

Why rules and not a parser: a tagger for Dutch needs a downloaded model, and the check must run offline. The
rules are those of the Dutch grammar books (ANS § 18.5, "het passief"): the passive is "worden" (present and
past) or "zijn" (perfect) with a past participle, in either order ("wordt vastgesteld", "vastgesteld wordt",
"is besloten"). A participle is recognised by its form:

- weak: "ge…d"/"ge…t", also behind a separable prefix ("vastgesteld", "aangevraagd"), or an inseparable prefix
  with "-d"/"-t" ("besteed", "verdeeld", "ontwikkeld", "herzien" is strong, see below);
- strong: ends in a listed strong participle ("genomen" also finds "aangenomen", "opgenomen").

Known limits, accepted for a warning that a clerk reads: "zijn" as a possessive ("zijn plan … gewijzigd") can
give a false find; verbs whose perfect takes "zijn" in the active ("is gestegen", "zijn gekomen") are listed and
skipped; nouns that look like participles ("gebied", "beleid", "besluit") are listed and skipped.
"""

from __future__ import annotations

import re

WORDEN = frozenset({"word", "wordt", "worden", "werd", "werden"})
ZIJN = frozenset({"ben", "bent", "is", "zijn", "was", "waren"})

# Strong participles (and their separable compounds, matched as an ending).
_STRONG = (
    "genomen", "gegeven", "gesloten", "geschreven", "gesproken", "gedragen", "gekozen", "gevonden", "gezien",
    "gedaan", "gelaten", "gehouden", "getrokken", "gewezen", "geboden", "gebonden", "gedreven", "geheven",
    "gelegen", "gemeten", "geroepen", "gestoken", "geworpen", "geschoven", "geslagen", "gebracht", "gedacht",
    "gezocht", "gekocht", "verkocht", "gevangen", "gehangen", "gegoten", "gelezen", "geweten", "gestoten",
    "gevraagd", "besloten", "besproken", "beschreven", "bevonden", "verkregen", "vergeten", "verboden", "ontvangen",
    "ondernomen", "overwogen", "ontheven", "herzien", "voorzien", "ontworpen", "verworven", "verleend", "onderzocht",
    "bedongen", "ontnomen", "vernomen", "verbonden", "ontbonden", "beschouwd", "verstrekt", "bevolen", "onderscheiden",
    "ingediend", "toegezegd", "uitgevoerd",
)
_WEAK_GE = re.compile(r"ge[^\W\d_]{2,}[dt]$")
_INSEPARABLE = re.compile(r"^(?:be|ver|ont|her|er)[^\W\d_]{3,}[dt]$")

# Look like a participle, are not one here: nouns, adjectives.
_NOT_PARTICIPLE = frozenset(
    {
        "gebied", "geest", "gewicht", "gerecht", "gezicht", "geschikt", "gemiddeld", "gezond", "gelijkwaardig",
        "beleid", "bestand", "verband", "bericht", "besluit", "verbod", "verstand", "verzet", "bekend", "bereid",
        "bewust", "ernst", "erfgoed", "herfst", "verlet", "belast", "bezit", "geheimhoudt", "geduld", "gebit",
        "gedicht", "geraamt", "gelaat", "gesticht", "begroot", "verschilt", "bevat", "bedraagt", "betreft",
        "verwacht", "overigens", "geldt", "gaat", "staat", "grootst", "genoemd", "gewenst", "gewend", "gezamenlijk",
        "gewoonweg", "verantwoordt",
    }
)

# Participles of verbs whose active perfect takes "zijn": "is gestegen" is not a passive.
_ACTIVE_WITH_ZIJN = frozenset(
    {
        "gegaan", "gekomen", "geworden", "gebleven", "geweest", "gebleken", "gestegen", "gedaald", "gegroeid",
        "gestart", "gestopt", "veranderd", "verdwenen", "ontstaan", "vertrokken", "begonnen", "geslaagd", "gelukt",
        "toegenomen", "afgenomen", "verlopen", "verschenen", "overleden", "gestorven", "geboren", "opgegroeid",
        "teruggekeerd", "verhuisd", "gevallen", "uitgekomen", "gebeurd", "meegedaan", "overgegaan", "ingegaan",
        "aangekomen", "opgestaan", "verbeterd", "verslechterd", "afgelopen", "uitgegroeid", "gewend",
    }
)


def is_participle(word: str) -> bool:
    """Whether ``word`` (lower case) has the form of a past participle (see the module docstring)."""
    if word in _NOT_PARTICIPLE or word.endswith(("heid", "schap")):
        return False
    if word.endswith(_STRONG):
        return True
    return bool(_WEAK_GE.search(word) or _INSEPARABLE.match(word))


def find(words: list[str]) -> str | None:
    """The passive of a sentence's words ("wordt … vastgesteld"), or None when it has none."""
    lowered = [w.lower() for w in words]
    for i, word in enumerate(lowered):
        if word not in WORDEN and word not in ZIJN:
            continue
        for j, other in enumerate(lowered):
            if j == i or not is_participle(other):
                continue
            if word in ZIJN and other in _ACTIVE_WITH_ZIJN:
                continue
            first, second = sorted((i, j))
            between = " … " if second - first > 1 else " "
            return f"{words[first]}{between}{words[second]}"
    return None
