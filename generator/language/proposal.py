"""The B1 check of one municipality's proposal, section by section, every finding a located warning.

The text checked is the text the reader of that municipality reads: the shared text with the municipality's
local changes and its variables filled in (the document builder's own ``reader_text``), and each finding is
mapped to its file and line by the builder's own map (``where``), so a line inside a local change points into
the overlay. Warnings only: the caller decides whether a finding may fail anything (``--strict``, and then only
for the summary for residents, :data:`SUMMARY_KEYS`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from generator.document.build import _Texts
from generator.errors import Problem, Problems, Severity
from generator.language.check import REGULAR, SUMMARY, Level, analyse, score_message
from generator.language.readability import Counts, flesch_douma
from generator.model.messages import Path
from generator.model.sections import SECTIONS, Kind, is_nvt
from generator.resolve import Proposal

# Sections held to the stricter level, and the only ones ``--strict`` turns into errors: the summary for
# residents ("samenvatting"), a local section that a layout profile adds (see ``document.profile``).
SUMMARY_KEYS: frozenset[str] = frozenset({"samenvatting"})


@dataclass(frozen=True, slots=True)
class SectionReport:
    """One section's figures and findings."""

    key: str
    title: str
    level: Level
    counts: Counts
    long_sentences: int
    problems: tuple[Problem, ...]

    @property
    def score(self) -> float | None:
        return flesch_douma(self.counts)


def _texts(proposal: Proposal) -> Iterator[tuple[str, str, Path, str]]:
    """(section key, title, path, source) of every running text of the proposal, in section order."""
    v = proposal.voorstel
    if v.samenvatting is not None and v.samenvatting.strip():  # the summary for residents, if written
        yield "samenvatting", "Samenvatting voor de inwoner", ("samenvatting",), v.samenvatting
    for spec in SECTIONS:
        value = getattr(v, spec.key, None)
        if spec.kind is Kind.TEXT and isinstance(value, str) and not is_nvt(value):
            yield spec.key, spec.title, (spec.key,), value
        elif spec.kind is Kind.DECISIONS:
            for i, text in enumerate(v.beslispunten):
                yield spec.key, spec.title, (spec.key, i), text
        elif spec.kind is Kind.ARGUMENTS and v.argumenten is not None:
            for i, argument in enumerate(v.argumenten):
                yield spec.key, spec.title, (spec.key, i, "tekst"), argument.tekst
        elif spec.kind is Kind.PARTICIPATION and v.burgerparticipatie is not None:
            yield spec.key, spec.title, (spec.key, "tekst"), v.burgerparticipatie.tekst


def check(proposal: Proposal, strict: bool = False) -> list[SectionReport]:
    """Every section with running text, with its B1 findings as warnings at file:line (errors for the summary
    when ``strict``)."""
    texts = _Texts(proposal, Problems())  # the build reports the texts' own problems; not again here
    reports: dict[str, SectionReport] = {}
    for key, title, path, source in _texts(proposal):
        shown = texts.reader_text(source, path)
        if shown is None:
            continue
        level = SUMMARY if key in SUMMARY_KEYS else REGULAR
        severity = Severity.ERROR if strict and key in SUMMARY_KEYS else Severity.WARNING
        found = analyse(shown, level)
        problems = tuple(Problem(*texts.where(path, f.line), f.message, severity) for f in found.findings)
        before = reports.get(key)
        if before is None:
            reports[key] = SectionReport(key, title, level, found.counts, found.long_sentences, problems)
        else:
            reports[key] = SectionReport(
                key,
                title,
                level,
                before.counts + found.counts,
                before.long_sentences + found.long_sentences,
                before.problems + problems,
            )
    return [_with_score(report, texts, strict) for report in reports.values()]


def _with_score(report: SectionReport, texts: _Texts, strict: bool) -> SectionReport:
    """The report with a warning at the section's first line when its score is below its level."""
    message = score_message(report.counts, report.level)
    if message is None:
        return report
    path: Path = (report.key,)
    location, field = texts.where(path, 1)
    severity = Severity.ERROR if strict and report.key in SUMMARY_KEYS else Severity.WARNING
    warning = Problem(location, field, message, severity)
    return SectionReport(
        report.key, report.title, report.level, report.counts, report.long_sentences, (warning, *report.problems)
    )


def problems(proposal: Proposal, strict: bool = False) -> list[Problem]:
    """Every B1 finding of ``proposal`` as a problem (see :func:`check`)."""
    return [p for report in check(proposal, strict) for p in report.problems]
