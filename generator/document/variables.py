"""Variables in clerks' text (``{{ gemeente.naam }}``): parsed by Jinja, evaluated here, values only.

Data files are untrusted, so a text may only *look up* values: the AST is checked before rendering and
anything else — calls, loops, conditions, filters outside the allow-list, ``_`` attributes, unknown names,
a group of values instead of one value, expressions nested too deep — is refused with the line inside the
text and, for a misspelt name, the nearest known one.

Evaluation does not go through Jinja's renderer: its attribute look-up finds Python methods before keys
(``{{ waarden.items }}`` printed ``<built-in method …>``), so the checked path is walked here over the
data's own keys only. A value is *text*, never Markdown: :func:`render_marked` puts a private-use token where
each value goes, the caller parses the Markdown around the tokens and then puts the values back literally
(:meth:`Marked.restore`), so ``2024. …`` stays a sentence and ``&amp;`` stays ``&amp;``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from generator.errors import LineProblem

# Formatting filters clerks may use; the values arrive pre-formatted, so few are needed.
FILTERS: dict[str, Any] = {
    "hoofdletter": lambda s: str(s)[:1].upper() + str(s)[1:],
    "kleine_letters": lambda s: str(s).lower(),
}

#: Where a value goes until the Markdown around it is parsed: private-use characters no text may contain
#: (``validate`` refuses private-use characters in data, see ``generator.sources.characters``).
TOKEN_START, TOKEN_END = "\ue000", "\ue001"
_TOKEN_RE = re.compile(TOKEN_START + r"(\d+)" + TOKEN_END)
#: Nesting of brackets in one ``{{ … }}`` a real text never needs; deeper is refused before Jinja's parser
#: (which recurses per bracket and used to end in a RecursionError).
MAX_EXPRESSION_DEPTH = 10
_EXPRESSION_RE = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)


@lru_cache(maxsize=1)
def environment() -> ImmutableSandboxedEnvironment:
    """Used to *parse* texts only; evaluation is :func:`_evaluate`."""
    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
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
    if isinstance(scope, Mapping | list | tuple):
        dotted = ".".join(path)
        example = f"{dotted}.{next(iter(scope))}" if isinstance(scope, Mapping) and scope else dotted
        message = f"'{dotted}' is een groep van waarden, geen tekst; kies er één, zoals {{{{ {example} }}}}"
        out.append(LineProblem(line, message))


def _too_deep(source: str) -> LineProblem | None:
    """A ``{{ … }}`` whose brackets nest deeper than :data:`MAX_EXPRESSION_DEPTH` (checked without recursion)."""
    for match in _EXPRESSION_RE.finditer(source):
        depth = deepest = 0
        for char in match.group(1):
            if char in "([{":
                depth += 1
                deepest = max(deepest, depth)
            elif char in ")]}":
                depth -= 1
        if deepest > MAX_EXPRESSION_DEPTH:
            line = source.count("\n", 0, match.start()) + 1
            return LineProblem(
                line, f"variabele met {deepest} geneste haakjes; hooguit {MAX_EXPRESSION_DEPTH}: schrijf {{{{ naam }}}}"
            )
    return None


def check(source: str, context: Mapping[str, Any]) -> list[LineProblem]:
    """Everything wrong with ``source`` as a text with variables, given the names in ``context``."""
    if "{" not in source:
        return []
    deep = _too_deep(source)
    if deep is not None:
        return [deep]
    try:
        tree = environment().parse(source)
    except TemplateSyntaxError as exc:
        return [LineProblem(exc.lineno or 1, f"ongeldige variabele: {exc.message}; schrijf {{{{ naam }}}}")]
    except RecursionError:  # e.g. a path of thousands of '.naam': no real text comes near
        return [LineProblem(1, "een variabele is te diep genest of te lang; schrijf {{ naam }}")]
    out: list[LineProblem] = []
    for node in tree.body:
        if not isinstance(node, nodes.Output):
            line = getattr(node, "lineno", 1) or 1
            out.append(LineProblem(line, "alleen {{ variabele }} is toegestaan, geen {% … %}-opdrachten"))
            continue
        for child in node.nodes:
            if not isinstance(child, nodes.TemplateData):
                try:
                    _check_expr(child, context, out)
                except RecursionError:
                    out.append(LineProblem(getattr(child, "lineno", 1) or 1, "een variabele is te diep genest"))
    return out


@dataclass(frozen=True, slots=True)
class Marked:
    """A text with a token where each value goes, and the values (see the module docstring)."""

    text: str
    values: tuple[str, ...]
    #: The ``{{ … }}`` each value came from, as the clerk wrote it (empty when they could not be told apart).
    expressions: tuple[str, ...] = ()

    def used(self, text: str) -> tuple[tuple[str, str], ...]:
        """(expression, value) of each token in ``text`` (a piece of the parsed :attr:`text`), in order."""
        out: list[tuple[str, str]] = []
        for match in _TOKEN_RE.finditer(text):
            index = int(match.group(1))
            if index < len(self.values) and index < len(self.expressions):
                out.append((self.expressions[index], self.values[index]))
        return tuple(out)

    def restore(self, text: str) -> str:
        """``text`` (a piece of the parsed :attr:`text`) with the values put back, literally."""
        if TOKEN_START not in text:
            return text

        def value(match: re.Match[str]) -> str:
            index = int(match.group(1))
            return self.values[index] if index < len(self.values) else match.group()

        return _TOKEN_RE.sub(value, text)

    def restore_url(self, href: str) -> str:
        """A link address with the values put back, percent-encoded (the parser encoded the tokens)."""
        href = href.replace(quote(TOKEN_START), TOKEN_START).replace(quote(TOKEN_END), TOKEN_END)
        return Marked(self.text, tuple(quote(v, safe=_URL_SAFE) for v in self.values)).restore(href)


_URL_SAFE = "/:?#@!$&'()*+,;=%-._~"


def render_marked(source: str, context: Mapping[str, Any]) -> Marked:
    """The text of ``source`` (accepted by :func:`check`) with a token for each value."""
    if "{" not in source:
        return Marked(source, ())
    values: list[str] = []
    parts: list[str] = []
    for node in environment().parse(source).body:
        if not isinstance(node, nodes.Output):
            raise ValueError("alleen {{ variabele }} is toegestaan")  # check() refused it already
        for child in node.nodes:
            if isinstance(child, nodes.TemplateData):
                parts.append(child.data)
            else:
                parts.append(f"{TOKEN_START}{len(values)}{TOKEN_END}")
                values.append(_evaluate(child, context))
    written = tuple(m.group() for m in _EXPRESSION_RE.finditer(source))
    return Marked("".join(parts), tuple(values), written if len(written) == len(values) else ())


def render(source: str, context: Mapping[str, Any]) -> str:
    """Substitute the variables of a text that :func:`check` accepted (values inserted as they are)."""
    marked = render_marked(source, context)
    return marked.restore(marked.text)


def _evaluate(node: nodes.Node, context: Mapping[str, Any]) -> str:
    """The value of a checked expression: a look-up over the data's own keys, maybe through filters."""
    if isinstance(node, nodes.Filter) and node.node is not None:
        return str(FILTERS[node.name](_evaluate(node.node, context)))
    if isinstance(node, nodes.Const):
        return str(node.value)
    path = _lookup_path(node)
    if path is None:
        raise ValueError("alleen variabelen zijn toegestaan")
    scope: Any = context
    for part in path:
        if not isinstance(scope, Mapping) or part not in scope:  # never getattr: no methods, no attributes
            raise ValueError(f"onbekende variabele '{'.'.join(path)}'")
        scope = scope[part]
    if isinstance(scope, Mapping | list | tuple):
        raise ValueError(f"'{'.'.join(path)}' is geen enkele waarde")
    return "" if scope is None else str(scope)
