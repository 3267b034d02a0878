"""Build plain Python data and a SourceMap from ruamel.yaml parser events.

Why events instead of ``yaml.load``: a constructor applies YAML's type resolution (``NO`` becomes False,
``0123`` an octal number, ``12:30`` sexagesimal, ``2025-03-12`` a date), follows aliases and honours tags.
Building the data ourselves keeps every scalar a string (only an empty plain scalar or ``~``/``null`` is
None), refuses anchors, aliases and tags outright, and records where each value was written.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ruamel.yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from generator.errors import Location, Problem
from generator.sources._text import scalar_problem
from generator.sources.sourcemap import KeyPath, ScalarInfo, SourceMap

MAX_DEPTH = 50
"""Nesting deeper than this is refused and ends parsing: real data is a handful of levels deep, this bounds
our recursion, and ruamel's pure-Python scanner takes quadratic time in the nesting depth."""

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BLOCK_STYLES = frozenset({"|", ">"})
_YAML_TAG_PREFIX = "tag:yaml.org,2002:"


def _shown_tag(tag: str) -> str:
    """The tag roughly as the clerk wrote it: ``tag:yaml.org,2002:str`` was written ``!!str``."""
    return "!!" + tag.removeprefix(_YAML_TAG_PREFIX) if tag.startswith(_YAML_TAG_PREFIX) else tag


def _child(path: KeyPath | None, step: str | int) -> KeyPath | None:
    return None if path is None else (*path, step)


class _TooDeep(Exception):
    """Stops building at absurd nesting (already reported as a problem)."""


class Builder:
    """Consumes the events of one stream; collects problems instead of stopping at the first one."""

    def __init__(self, source_map: SourceMap) -> None:
        self.map = source_map
        self.file = source_map.file
        self.problems: list[Problem] = []
        self._events: Iterator[Event] = iter(())

    def build(self, events: Iterator[Event]) -> Any:
        """The data of the first document (None for an empty stream); later documents are an error."""
        self._events = events
        self._next()  # StreamStartEvent
        event = self._next()
        if isinstance(event, StreamEndEvent):
            return None
        try:
            data = self._node(self._next(), (), 0)
        except _TooDeep:
            return None  # the rest is not read: ruamel's scanner slows down quadratically with nesting
        self._next()  # DocumentEndEvent
        event = self._next()
        if isinstance(event, DocumentStartEvent):
            self._problem(
                self._loc(event.start_mark),
                "hier begint een tweede YAML-document; een bestand mag er maar één bevatten: "
                "verwijder '---' en wat volgt, of zet het in een eigen bestand",
            )
        return data

    # -- helpers -----------------------------------------------------------------------------------------

    def _next(self) -> Event:
        return next(self._events)

    def _loc(self, mark: Any) -> Location:
        return Location(self.file, mark.line + 1, mark.column + 1)

    def _problem(self, location: Location, message: str) -> None:
        self.problems.append(Problem(location, "", message))

    def _check_node(self, event: Event, location: Location) -> None:
        """Anchors and tags are refused wherever they appear, keys included."""
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self._problem(
                location,
                f"ankers en verwijzingen (&, *) zijn niet toegestaan; verwijder '&{anchor}' en schrijf de "
                "waarde overal uit",
            )
        tag = getattr(event, "tag", None)
        if tag is not None:
            shown = _shown_tag(str(tag))
            self._problem(
                location,
                f"expliciete tags zoals '!!str' zijn niet toegestaan; verwijder '{shown}' "
                "(alle waarden worden als tekst gelezen)",
            )

    def _skip(self, event: Event) -> None:
        """Consume the rest of a node without building it."""
        if not isinstance(event, CollectionStartEvent):
            return
        depth = 1
        while depth:
            inner = self._next()
            if isinstance(inner, CollectionStartEvent):
                depth += 1
            elif isinstance(inner, MappingEndEvent | SequenceEndEvent):
                depth -= 1

    # -- nodes -------------------------------------------------------------------------------------------

    def _node(
        self,
        event: Event,
        path: KeyPath | None,
        depth: int,
        key: Location | None = None,
        after_key: Any = None,
    ) -> Any:
        """Build one node and record it at ``path``.

        The root (path ``()``) is not recorded; path None builds without recording (the value of a duplicate
        or invalid key, still searched for problems but kept out of the map).

        ``key`` is the key's location for a mapping value (None for list items and the root); ``after_key``
        is the mark where the key ended, used for an empty value (ruamel places that at the next token).
        """
        location = self._loc(event.start_mark)
        if isinstance(event, AliasEvent):
            self._problem(
                location,
                f"ankers en verwijzingen (&, *) zijn niet toegestaan; schrijf de waarde uit in plaats van "
                f"'*{event.anchor}'",
            )
            self._record(path, key, location)
            return None
        self._check_node(event, location)
        if isinstance(event, ScalarEvent):
            return self._scalar(event, path, location, key, after_key)
        self._record(path, key, location)
        if depth >= MAX_DEPTH:
            self._problem(location, f"gegevens zijn hier dieper genest dan {MAX_DEPTH} niveaus; maak ze platter")
            raise _TooDeep
        if isinstance(event, SequenceStartEvent):
            return self._sequence(path, depth)
        if isinstance(event, MappingStartEvent):
            return self._mapping(path, depth)
        raise AssertionError(f"unexpected YAML event {event!r}")  # the parser guarantees a node here

    def _record(
        self, path: KeyPath | None, key: Location | None, value: Location, scalar: ScalarInfo | None = None
    ) -> None:
        if path:
            self.map.add(path, key if key is not None else value, value, scalar)

    def _scalar(
        self,
        event: ScalarEvent,
        path: KeyPath | None,
        location: Location,
        key: Location | None,
        after_key: Any,
    ) -> str | None:
        value: str = event.value
        plain = event.style is None
        if plain and value == "" and after_key is not None:
            location = Location(self.file, after_key.line + 1, after_key.column + 1)
        block = event.style in _BLOCK_STYLES
        content_line = location.line + 1 if block else location.line
        self._record(path, key, location, ScalarInfo(location, content_line, block))
        if plain and event.tag is None and value in _NULLS:
            return None
        bad = scalar_problem(value)
        if bad is not None:
            self._problem(location, bad)
        return value

    def _sequence(self, path: KeyPath | None, depth: int) -> list[Any]:
        items: list[Any] = []
        while not isinstance(event := self._next(), SequenceEndEvent):
            items.append(self._node(event, _child(path, len(items)), depth + 1))
        return items

    def _mapping(self, path: KeyPath | None, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        while not isinstance(event := self._next(), MappingEndEvent):
            name = self._key(event)
            key_location = self._loc(event.start_mark)
            value_event = self._next()
            if name is None:
                self._node(value_event, None, depth + 1)  # still look for problems inside
                continue
            if name in first_line:
                self._problem(
                    key_location,
                    f"sleutel '{name}' staat hier voor de tweede keer (eerder op regel {first_line[name]}); "
                    "verwijder of hernoem één van beide",
                )
                self._node(value_event, None, depth + 1)
                continue
            first_line[name] = key_location.line
            result[name] = self._node(value_event, _child(path, name), depth + 1, key_location, event.end_mark)
        return result

    def _key(self, event: Event) -> str | None:
        """The key as a string, or None (after reporting) when it cannot be one."""
        location = self._loc(event.start_mark)
        if isinstance(event, AliasEvent):
            self._problem(
                location,
                "ankers en verwijzingen (&, *) zijn niet toegestaan; schrijf de sleutel uit in plaats van "
                f"'*{event.anchor}'",
            )
            return None
        self._check_node(event, location)
        if not isinstance(event, ScalarEvent):
            self._problem(
                location,
                "een sleutel moet gewone tekst zijn, geen lijst of mapping; schrijf een naam vóór de dubbele punt",
            )
            self._skip(event)
            return None
        value: str = event.value
        if event.style is None and value == "":
            self._problem(location, "hier ontbreekt een sleutel; schrijf een naam vóór de dubbele punt")
            return None
        bad = scalar_problem(value)
        if bad is not None:
            self._problem(location, bad)
        return value
