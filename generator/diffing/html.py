"""The ``html`` format: one standalone redline page a reviewer opens in any browser or mails around.

Why standalone: the page is read from a mail attachment or a shared drive, often offline, so it loads nothing
(no scripts, fonts, images or style sheets from elsewhere; the CSS is inline) and needs no JavaScript. Removed
words are ``<del>``, added words ``<ins>`` (screen readers announce both, and they are marked by more than
colour). A section index at the top links to every changed part; unchanged sections stay readable behind a
``<details>`` fold. Municipalities with exactly the same changes share one section (the heading names them
all). The template is autoescaped Jinja2, so text from data files can never become markup.
"""

from __future__ import annotations

from jinja2 import Environment, StrictUndefined

from generator.diffing.model import DiffReport, DocumentDiff

_TEMPLATE = """\
{% macro render_unit(unit) %}
<div class="unit {{ unit.change }}"><span class="label">{{ unit.label }}{% if unit.change != "ongewijzigd" %}: \
{{ unit.change }}{% endif %}</span><p class="words">{% for s in unit.segments %}{% if s.op == "delete" %}\
<del>{{ s.text }}</del>{% elif s.op == "insert" %}<ins>{{ s.text }}</ins>{% else %}{{ s.text }}{% endif %}\
{% endfor %}</p></div>
{% endmacro %}
<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{{ title }}</title>
<style>
body { font-family: Arial, "Liberation Sans", Helvetica, sans-serif; line-height: 1.5; color: #1a1a1a;
       max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.25rem; }
h2 { font-size: 1.35rem; border-bottom: 2px solid #1f4e79; padding-bottom: 0.2rem; margin-top: 2.5rem; }
h3 { font-size: 1.1rem; margin: 1.5rem 0 0.5rem; }
dl.sources { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 1rem; margin: 0.5rem 0; }
dl.sources dt { font-weight: bold; }
dl.sources dd { margin: 0; font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 0.9rem; }
nav { background: #f3f6f9; border: 1px solid #d0d7de; padding: 0.5rem 1rem; margin: 1rem 0; }
nav ul { margin: 0.25rem 0; padding-left: 1.25rem; }
.unchanged, .note { color: #555; }
.legend del, .legend ins { padding: 0 0.25rem; }
del { background: #ffe0e0; color: #8b0000; text-decoration: line-through; }
ins { background: #dff5df; color: #0b5a0b; text-decoration: underline; }
.unit { margin: 0.4rem 0 0.8rem; }
.label { display: block; font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.03em; color: #555; }
.badge { font-size: 0.8rem; font-weight: normal; color: #555; }
.words { white-space: pre-wrap; margin: 0; }
.unit.gewijzigd, .unit.toegevoegd, .unit.verwijderd { border-left: 4px solid #1f4e79; padding-left: 0.6rem; }
.unit.ongewijzigd { color: #444; }
details { margin: 0.4rem 0; }
summary { cursor: pointer; color: #555; }
@media print { nav a { color: inherit; text-decoration: none; } details { display: none; } }
</style>
</head>
<body>
<header>
<h1>{{ title }}</h1>
<p class="legend">Legenda: <del>verwijderd</del> <ins>toegevoegd</ins></p>
{% for line in report.participant_lines() %}
<p class="note">{{ line }}</p>
{% endfor %}
</header>
<main>
{% for diff, names in report.groups() %}
{% set prefix = diff.new.municipality_slug ~ "-" ~ loop.index %}
<section class="document" id="{{ prefix }}">
<h2>{{ diff.new.kind }} {{ names | join(", ") }}</h2>
<dl class="sources"><dt>Oud</dt><dd>{{ diff.old_name }}</dd><dt>Nieuw</dt><dd>{{ diff.new_name }}</dd></dl>

{% if diff.identical %}
<p>Geen verschillen.</p>
{% else %}
<nav aria-label="Gewijzigde onderdelen {{ diff.new.municipality }}">
<p><strong>Gewijzigde onderdelen</strong></p>
<ul>
{% for part in diff.changed_parts %}
<li><a href="#{{ prefix }}-{{ part.anchor }}">{{ part.summary() }}</a></li>
{% endfor %}
</ul>
{% if diff.unchanged_line() %}<p class="unchanged">{{ diff.unchanged_line() }}</p>{% endif %}
</nav>
{% for part in diff.parts %}
{% if part.changed %}
<section class="part" id="{{ prefix }}-{{ part.anchor }}">
<h3>{{ part.name }} <span class="badge">({{ part.change }})</span></h3>
{% for unit in part.units %}{{ render_unit(unit) }}{% endfor %}
</section>
{% else %}
<details class="part">
<summary>{{ part.name }}: ongewijzigd</summary>
{% for unit in part.units %}{{ render_unit(unit) }}{% endfor %}
</details>
{% endif %}
{% endfor %}
{% endif %}
</section>
{% endfor %}
</main>
</body>
</html>
"""

_ENV = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render(report: DiffReport) -> str:
    """The report as one HTML page (UTF-8 text)."""
    return _ENV.from_string(_TEMPLATE).render(report=report, title=_title(report.diffs))


def _title(diffs: tuple[DocumentDiff, ...]) -> str:
    if not diffs:
        return "Verschillen"
    return f"Verschillen {diffs[0].new.title}"
