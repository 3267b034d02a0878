"""Variables in clerks' text (``{{ gemeente.naam }}``), compiled in Jinja's immutable sandbox.

Data files are untrusted, so a text may only *look up* values: the AST is checked before rendering and
anything else — calls, loops, conditions, filters outside the allow-list, ``_`` attributes, unknown names —
is refused with the line inside the text and, for a misspelt name, the nearest known one. Rendering then
runs in ``ImmutableSandboxedEnvironment`` with ``StrictUndefined`` as a second fence.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from generator.errors import LineProblem

# Formatting filters clerks may use; the values arrive pre-formatted, so few are needed.
FILTERS: dict[str, Any] = {
    "hoofdletter": lambda s: str(s)[:1].upper() + str(s)[1:],
    "kleine_letters": lambda s: str(s).lower(),
}

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~!])")


def markdown_escape(value: Any) -> str:
    """Variable values are data, not markup: escape what Markdown would interpret."""
    return _MD_SPECIAL.sub(r"\\\1", "" if value is None else str(value))


@lru_cache(maxsize=1)
def environment() -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        undefined=StrictUndefined, autoescape=False, finalize=markdown_escape, keep_trailing_newline=True
    )
    env.filters = dict(FILTERS)
    env.globals = {}
    env.tests = {}
    return env


def _closest(word: str, options: list[str]) -> str:
    match = difflib.get_close_matches(word, options, n=1, cutoff=0.5)
    known = ", ".join(sorted(options)) if len(options) <= 8 else ", ".join(sorted(options)[:8]) + ", …"
    return f"bedoelde u '{match[0]}'?" if match else f"bekende namen: {known}"


def _lookup_path(node: nodes.Node) -> list[str] | None:
    """['gemeente', 'naam'] for ``gemeente.naam`` / ``gemeente['naam']``; None for anything else."""
    if isinstance(node, nodes.Name):
        return [node.name]
    if isinstance(node, nodes.Getattr):
        base = _lookup_path(node.node)
        return None if base is None else [*base, node.attr]
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
        base = _lookup_path(node.node)
        return None if base is None else [*base, node.arg.value]
    return None


def _check_expr(node: nodes.Node, context: Mapping[str, Any], out: list[LineProblem]) -> None:
    line = getattr(node, "lineno", 1) or 1
    if isinstance(node, nodes.Filter):
        if node.name not in FILTERS:
            out.append(LineProblem(line, f"filter '{node.name}' is niet toegestaan; toegestaan: {', '.join(FILTERS)}"))
        if node.args or node.kwargs or node.dyn_args or node.dyn_kwargs:
            out.append(LineProblem(line, f"filter '{node.name}' neemt geen argumenten"))
        if node.node is not None:
            _check_expr(node.node, context, out)
        return
    if isinstance(node, nodes.Const) and isinstance(node.value, str):
        return
    path = _lookup_path(node)
    if path is None:
        out.append(
            LineProblem(
                line,
                "alleen variabelen zoals {{ gemeente.naam }} zijn toegestaan, geen berekeningen of aanroepen",
            )
        )
        return
    scope: Any = context
    for depth, part in enumerate(path):
        dotted = ".".join(path[: depth + 1])
        if part.startswith("_"):
            out.append(LineProblem(line, f"'{dotted}': namen die met '_' beginnen zijn niet toegestaan"))
            return
        if not isinstance(scope, Mapping) or part not in scope:
            options = [str(k) for k in scope] if isinstance(scope, Mapping) else []
            what = "onbekende variabele" if depth == 0 else "onbekend veld"
            out.append(LineProblem(line, f"{what} '{dotted}'; {_closest(part, options)}"))
            return
        scope = scope[part]


def check(source: str, context: Mapping[str, Any]) -> list[LineProblem]:
    """Everything wrong with ``source`` as a text with variables, given the names in ``context``."""
    if "{" not in source:
        return []
    try:
        tree = environment().parse(source)
    except TemplateSyntaxError as exc:
        return [LineProblem(exc.lineno or 1, f"ongeldige variabele: {exc.message}; schrijf {{{{ naam }}}}")]
    out: list[LineProblem] = []
    for node in tree.body:
        if not isinstance(node, nodes.Output):
            line = getattr(node, "lineno", 1) or 1
            out.append(LineProblem(line, "alleen {{ variabele }} is toegestaan, geen {% … %}-opdrachten"))
            continue
        for child in node.nodes:
            if not isinstance(child, nodes.TemplateData):
                _check_expr(child, context, out)
    return out


def render(source: str, context: Mapping[str, Any]) -> str:
    """Substitute the variables of a text that ``check`` accepted."""
    if "{" not in source:
        return source
    try:
        return environment().from_string(source).render(dict(context))
    except TemplateError as exc:  # the sandbox caught something check() missed
        raise ValueError(f"variabele kon niet worden ingevuld: {exc}") from exc
