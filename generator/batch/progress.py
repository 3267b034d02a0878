"""How a batch tells the user what it does: a live progress bar on a terminal, plain lines everywhere else.

Why two reporters: a griffie member at a terminal wants a bar with the time still needed; CI and log files
want one line per event, without ANSI escapes or carriage returns that turn a log into noise. The batch calls
the same methods on either; :class:`NullReporter` is for the API and the benchmark.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from generator.errors import Problem, display_path, safe_text

if TYPE_CHECKING:
    from generator.batch import Job, Summary
    from generator.batch.worker import Failed, Rendered


def seconds_nl(seconds: float) -> str:
    """``3,2 s`` or ``2 min 05 s``: Dutch decimal comma."""
    if seconds < 60:
        return f"{seconds:.1f}".replace(".", ",") + " s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"


def _documents(count: int) -> str:
    return f"{count} document" if count == 1 else f"{count} documenten"


class NullReporter:
    """Reports nothing; the base of the other reporters (every hook is optional)."""

    def prepared(self, cleaned: int, manifest_damaged: bool) -> None: ...
    def start(self, total: int, skipped: int, dossiers: int, workers: int) -> None: ...
    def dossier_failed(
        self, dossier: str, problems: Sequence[Problem], message: str | None, documents: int
    ) -> None: ...

    def done(self, job: Job, result: Rendered) -> None: ...
    def failed(self, job: Job, failure: Failed) -> None: ...
    def stop(self) -> None: ...
    def summary(self, summary: Summary) -> None: ...


Reporter = NullReporter


def _prepared_lines(cleaned: int, manifest_damaged: bool) -> list[str]:
    lines = []
    if cleaned:
        lines.append(f"opgeruimd: {cleaned} tijdelijk(e) bestand(en) van een afgebroken run")
    if manifest_damaged:
        lines.append("let op: manifest.json was onleesbaar of onvolledig; elk document wordt opnieuw gecontroleerd")
    return lines


def _start_line(total: int, skipped: int, dossiers: int, workers: int) -> str:
    if not total and not dossiers:
        return f"alles is actueel: {_documents(skipped)} ongewijzigd"
    processes = f", {workers} processen" if workers else ""
    return f"te bouwen: {_documents(total)} uit {dossiers} dossier(s), {skipped} ongewijzigd{processes}"


def _dossier_lines(dossier: str, problems: Sequence[Problem], message: str | None, documents: int) -> list[str]:
    count = f" ({_documents(documents)} niet gebouwd)" if documents else ""
    lines = [f"mislukt: dossier {safe_text(dossier)}{count}"]
    lines += [f"  {safe_text(str(p))}" for p in problems]
    if message:
        lines.append(f"  {safe_text(message)}")
    return lines


def _summary_rows(summary: Summary) -> list[tuple[str, str]]:
    rows = [
        ("gebouwd", str(summary.built)),
        ("ongewijzigd", str(summary.skipped)),
        ("mislukt", str(summary.failed)),
        ("tijd", seconds_nl(summary.seconds)),
    ]
    if summary.failed_dossiers:
        rows.insert(3, ("dossiers met fouten", safe_text(", ".join(summary.failed_dossiers))))
    return rows


def _closing_line(summary: Summary) -> str | None:
    if summary.interrupted_by is not None:
        return "afgebroken: wat af was is bewaard; draai dezelfde opdracht opnieuw om de rest te bouwen"
    if summary.warnings:
        return f"{summary.warnings} waarschuwing(en), zoals INVULLEN: zie raadsvoorstel validate"
    return None


class PlainReporter(NullReporter):
    """One line per event (for CI and logs); problems on stderr, the rest on stdout."""

    def __init__(self) -> None:
        self.total = 0
        self.count = 0

    def prepared(self, cleaned: int, manifest_damaged: bool) -> None:
        for line in _prepared_lines(cleaned, manifest_damaged):
            click.echo(line)

    def start(self, total: int, skipped: int, dossiers: int, workers: int) -> None:
        self.total = total
        click.echo(_start_line(total, skipped, dossiers, workers))

    def dossier_failed(self, dossier: str, problems: Sequence[Problem], message: str | None, documents: int) -> None:
        self.count += documents
        for line in _dossier_lines(dossier, problems, message, documents):
            click.echo(line, err=True)

    def done(self, job: Job, result: Rendered) -> None:
        self.count += 1
        click.echo(f"[{self.count}/{self.total}] gebouwd: {display_path(job.target)} ({seconds_nl(result.seconds)})")

    def failed(self, job: Job, failure: Failed) -> None:
        self.count += 1
        message = safe_text(failure.message)
        click.echo(f"[{self.count}/{self.total}] mislukt: {display_path(job.target)}: {message}", err=True)

    def summary(self, summary: Summary) -> None:
        click.echo("samenvatting:")
        rows = _summary_rows(summary)
        width = max(len(label) for label, _ in rows)
        for label, value in rows:
            click.echo(f"  {label:<{width}}  {value}")
        closing = _closing_line(summary)
        if closing:
            click.echo(closing, err=summary.interrupted_by is not None)


class RichReporter(NullReporter):
    """A progress bar with elapsed and remaining time; messages are printed above the bar."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.console = Console()
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("nog"),
            TimeRemainingColumn(),
            console=self.console,
        )
        self.task: Any = None

    def _print(self, text: str, style: str = "") -> None:
        from rich.text import Text

        self.console.print(Text(text, style=style))

    def prepared(self, cleaned: int, manifest_damaged: bool) -> None:
        for line in _prepared_lines(cleaned, manifest_damaged):
            self._print(line, "yellow")

    def start(self, total: int, skipped: int, dossiers: int, workers: int) -> None:
        self._print(_start_line(total, skipped, dossiers, workers))
        if total:
            self.task = self.progress.add_task("bouwen", total=total)
            self.progress.start()

    def dossier_failed(self, dossier: str, problems: Sequence[Problem], message: str | None, documents: int) -> None:
        for line in _dossier_lines(dossier, problems, message, documents):
            self._print(line, "red")
        self._advance(documents)

    def done(self, job: Job, result: Rendered) -> None:
        self._advance(1)

    def failed(self, job: Job, failure: Failed) -> None:
        self._print(f"mislukt: {display_path(job.target)}: {safe_text(failure.message)}", "red")
        self._advance(1)

    def _advance(self, count: int) -> None:
        if self.task is not None and count:
            self.progress.advance(self.task, count)

    def stop(self) -> None:
        self.progress.stop()

    def summary(self, summary: Summary) -> None:
        from rich.table import Table

        table = Table(title="Samenvatting", show_header=False, title_justify="left")
        table.add_column(style="bold")
        table.add_column(justify="right")
        styles = {"gebouwd": "green", "mislukt": "red" if summary.failed else "", "dossiers met fouten": "red"}
        for label, value in _summary_rows(summary):
            table.add_row(label, value, style=styles.get(label, ""))
        self.console.print(table)
        closing = _closing_line(summary)
        if closing:
            self._print(closing, "yellow")


def make_reporter(interactive: bool) -> NullReporter:
    """The rich bar when both output streams are terminals, plain lines otherwise."""
    return RichReporter() if interactive else PlainReporter()
