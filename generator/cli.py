"""The ``raadsvoorstel`` command: a few lines per command over ``api``; errors become Dutch messages.

Exit codes: 0 ok · 1 problems found (invalid data, failed documents) · 2 usage · 3 internal error.
"""

from __future__ import annotations

import contextlib
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from generator import api, cli_nl
from generator.errors import DataError, GeneratorError, Problem, Severity, display_path, os_message, safe_text

DOSSIER = click.Path(exists=True, file_okay=False, path_type=Path)
FC = TypeVar("FC", bound=Callable[..., Any])

FORMAT_OPTION = click.option(
    "--format", "-f", "formats", multiple=True, type=click.Choice(list(api.FORMATS)), help="Standaard docx en pdf."
)


def out_option(help_text: str) -> Callable[[FC], FC]:
    """``--out``/``-o``: the output folder shared by build and batch (default ``output``)."""
    return click.option(
        "--out", "-o", type=click.Path(file_okay=False, path_type=Path), default=Path("output"), show_default=True,
        help=help_text,
    )  # fmt: skip


SJABLONEN_OPTION = click.option(
    "--sjablonen", type=click.Path(exists=True, file_okay=False, path_type=Path), metavar="MAP",
    help="Sjablonen die voor die van het project en het pakket gaan (zie 'raadsvoorstel sjablonen').",
)  # fmt: skip

DOCUMENT_OPTION = click.option(
    "--document", "-d", type=click.Choice(["raadsvoorstel", "raadsbesluit"]), default="raadsvoorstel",
    show_default=True, help="Welk document van de gemeente.",
)  # fmt: skip
KOUD_OPTION = click.option(
    "--koud", is_flag=True,
    help="Bouw in dit proces, ook als er een warme server draait (zie 'raadsvoorstel server').",
)  # fmt: skip
cli_nl.install()  # click's own texts (Usage:, Error:, --help) in Dutch

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Group(click.Group):
    """Turns errors into messages and exit codes; ``--traceback`` shows the Python trace."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except GeneratorError as exc:
            if ctx.params.get("traceback"):
                traceback.print_exc()
            _print_error(exc)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("afgebroken", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            _silence_stdout()
            click.echo("afgebroken: de uitvoer ging naar een pijp die gesloten werd (bijvoorbeeld door head)", err=True)
            ctx.exit(1)
        except OSError as exc:  # the machine, not the data or a bug: a full disk, a read-only or missing folder
            if ctx.params.get("traceback"):
                traceback.print_exc()
            click.echo(f"fout: {safe_text(os_message(exc))}", err=True)
            ctx.exit(1)
        except Exception as exc:  # an internal error: a bug, not the user's fault
            if ctx.params.get("traceback"):
                traceback.print_exc()
            click.echo(
                f"interne fout: {type(exc).__name__}: {safe_text(str(exc))}\n"
                "Dit is een fout in raadsvoorstel; draai opnieuw met --traceback en meld de uitvoer.",
                err=True,
            )
            ctx.exit(3)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so Python's final flush does not hit the closed pipe a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def _print_error(exc: GeneratorError) -> None:
    if isinstance(exc, DataError):
        _print_problems(exc.problems)
    else:
        click.echo(f"fout: {safe_text(str(exc))}", err=True)


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        colour = "red" if problem.severity is Severity.ERROR else "yellow"
        click.secho(safe_text(str(problem)), err=True, fg=colour)
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    click.echo(f"{errors} fout(en), {warnings} waarschuwing(en)", err=True)


@click.group(cls=Group, context_settings=CONTEXT)
@click.option("--traceback", is_flag=True, help="Toon bij een fout de Python-traceback (voor ontwikkelaars).")
@click.version_option(package_name="raadsvoorstel", message="raadsvoorstel %(version)s")
def main(traceback: bool) -> None:
    """Raadsvoorstellen als DOCX en PDF uit gevalideerde data, per gemeente.

    \b
    Voorbeeld:
      raadsvoorstel validate proposals/impuls-sociale-infrastructuur
      raadsvoorstel build proposals/impuls-sociale-infrastructuur --gemeente leusden
    """


@main.command()
@click.argument("dossiers", nargs=-1, type=DOSSIER)
@click.option("--strict", is_flag=True, help="Behandel waarschuwingen (zoals INVULLEN) als fouten.")
def validate(dossiers: tuple[Path, ...], strict: bool) -> None:
    """Controleer dossiers en meld elk probleem als bestand:regel:kolom.

    Zonder DOSSIER worden alle dossiers in ./proposals gecontroleerd.

    \b
    Voorbeeld:
      raadsvoorstel validate proposals/impuls-sociale-infrastructuur --strict
    """
    folders = list(dossiers) or api.dossier_folders(Path("proposals"))
    if not folders:
        raise click.UsageError("geen dossiers gevonden; geef een dossiermap op")
    report = api.validate(folders, language=True, strict=strict)
    if report.problems or report.language:
        _print_problems(report.problems + report.language)  # B1 warnings last: they never fail (see leesbaarheid)
    for dossier in dict.fromkeys(row.dossier for row in report.statuses):
        rows = [row for row in report.statuses if row.dossier == dossier]
        line = f"status {dossier}: " + " · ".join(f"{row.naam} {row.status}" for row in rows)
        click.echo(safe_text(line))  # names come from folder names and data: no terminal escapes
    for note in report.notes:
        click.echo(safe_text(f"let op: {note}"))
    if not report.ok(strict):
        sys.exit(1)
    click.echo(f"in orde: {', '.join(display_path(f) for f in folders)}")


@main.command()
@click.argument(
    "proposals_dir", required=False, default=Path("proposals"), type=click.Path(file_okay=False, path_type=Path)
)
@click.option("--json", "as_json", is_flag=True, help="Als JSON (voor scripts), één object per gemeente.")
def status(proposals_dir: Path, as_json: bool) -> None:
    """Toon per dossier en gemeente waar het voorstel staat: status, raadsdatum, INVULLEN, amendementen.

    Voor de griffie: in één oogopslag welke raden nog moeten besluiten. PROPOSALS_DIR is de map met dossiers
    (standaard ./proposals) of één dossiermap. Afsluitcode 1 als de data van een dossier fouten heeft.

    \b
    Voorbeeld:
      raadsvoorstel status proposals --json
    """
    folders = [proposals_dir] if (proposals_dir / "voorstel.yaml").is_file() else api.dossier_folders(proposals_dir)
    if not folders:
        raise click.UsageError(f"geen dossiers gevonden in {display_path(proposals_dir)}")
    report = api.validate(folders)
    if as_json:
        import json

        click.echo(json.dumps([row.to_json() for row in report.statuses], ensure_ascii=False, indent=2))
    else:
        header = ("dossier", "gemeente", "status", "raadsvergadering", "INVULLEN", "amendementen")
        table = [header] + [
            (r.dossier, r.naam, r.status, r.datum_raad or "-", str(r.invullen), ", ".join(r.amendementen) or "-")
            for r in report.statuses
        ]
        widths = [max(len(row[i]) for row in table) for i in range(len(header) - 1)]
        histories = ["", *(r.history_text() for r in report.statuses)]
        for row, history in zip(table, histories, strict=True):
            cells = [*(cell.ljust(width) for cell, width in zip(row, widths, strict=False)), row[-1]]
            click.echo(safe_text("  ".join(cells)))
            if history:
                click.echo(safe_text(f"  historie: {history}"))
    if report.errors:
        _print_problems(report.errors)
        sys.exit(1)


@main.command()
@click.argument("dossier", type=DOSSIER)
@click.option("--gemeente", "-g", required=True, metavar="SLUG", help="Korte naam van de gemeente, bv. leusden.")
@DOCUMENT_OPTION
def dump(dossier: Path, gemeente: str, document: str) -> None:
    """Toon de platte tekst van het raadsvoorstel (of raadsbesluit) van één gemeente.

    \b
    Voorbeeld:
      raadsvoorstel dump proposals/impuls-sociale-infrastructuur --gemeente leusden --document raadsbesluit
    """
    click.echo(api.dump(dossier, gemeente, document), nl=False)


@main.command()
@click.argument("dossier", type=DOSSIER)
@click.option("--gemeente", "-g", required=True, metavar="SLUG", help="Korte naam van de gemeente, bv. leusden.")
@DOCUMENT_OPTION
@click.option(
    "--format", "-f", "fmt", type=click.Choice(api.METADATA_FORMATS), default="xml", show_default=True,
    help="xml: het DiWoo-metadatarecord; json: dezelfde gegevens voor scripts.",
)  # fmt: skip
def metadata(dossier: Path, gemeente: str, document: str, fmt: str) -> None:
    """Toon de DiWoo-metadata (Wet open overheid) van het raadsvoorstel of raadsbesluit van één gemeente.

    \b
    Voorbeeld:
      raadsvoorstel metadata proposals/impuls-sociale-infrastructuur --gemeente leusden --format json
    """
    click.echo(api.metadata(dossier, gemeente, document, fmt), nl=False)


@main.command()
@click.argument("dossier", type=DOSSIER)
@click.option("--gemeente", "-g", required=True, metavar="SLUG", help="Korte naam van de gemeente, bv. leusden.")
@click.option(
    "--out", "-o", type=click.Path(file_okay=False, path_type=Path), required=True, metavar="MAP",
    help="Hierin komt de publicatiemap <dossier>-<gemeente>/ (een eerdere versie wordt vervangen).",
)  # fmt: skip
@SJABLONEN_OPTION
def publish(dossier: Path, gemeente: str, out: Path, sjablonen: Path | None) -> None:
    """Stel de publicatiemap van één gemeente samen: PDF's, bijlagen, DiWoo-metadata en index.json.

    Alleen voor status aangeboden of vastgesteld; een concept, een ontbrekende bijlage of een bijlage buiten
    de map bijlagen/ van het dossier wordt geweigerd en er wordt dan niets geschreven.

    \b
    Voorbeeld:
      raadsvoorstel publish voorbeelden/raadsronde/proposals/schuldhulp-eemland --gemeente eemdal --out publicatie
    """
    folder = api.publish(dossier, gemeente, out, api.templates_for(dossier, sjablonen))
    click.echo(f"geschreven: {display_path(folder)}")


@main.command()
@click.option(
    "--soort", type=click.Choice(api.SCHEMAS), default="voorstel", show_default=True, help="Welk databestand."
)
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Schrijf alle schema's naar deze map.",
)
def schema(soort: str, out: Path | None) -> None:
    """Toon het JSON Schema van de databestanden (voor VS Code en andere editors).

    \b
    Voorbeeld:
      raadsvoorstel schema --out schema
    """
    if out is None:
        click.echo(api.schema_text(soort), nl=False)
        return
    for target in api.write_schemas(out):
        click.echo(f"geschreven: {display_path(target)}")


@main.command()
@click.argument("dossier", type=click.Path(path_type=Path))
@click.option(
    "--gemeente", "-g", "gemeenten", multiple=True, metavar="SLUG",
    help="Een deelnemende gemeente (herhaal voor meer); standaard alle uit gemeenten.yaml.",
)  # fmt: skip
def new(dossier: Path, gemeenten: tuple[str, ...]) -> None:
    """Maak een nieuw dossier met alle onderdelen en per onderdeel een hint.

    Schrijft DOSSIER/voorstel.yaml en per deelnemende gemeente DOSSIER/gemeenten/<gemeente>.yaml met de velden
    van de kop (vergaderdata, agendapunt, zaaknummer, portefeuillehouder). Staat er naast DOSSIER nog geen
    gemeenten.yaml, dan schrijft new er een uit het voorbeeld van het pakket, om in te vullen. De JSON Schemas
    voor de editor komen in schema/ naast de data, als ze er nog niet zijn.

    \b
    Voorbeeld:
      raadsvoorstel new proposals/jeugdhulp-2026 -g leusden -g soest
    """
    shown = display_path(dossier)
    written, has_registry = api.new_dossier(dossier, gemeenten, shown)
    for path in written:
        click.echo(f"aangemaakt: {display_path(path)}")
    if not has_registry:
        click.echo(
            f"let op: {display_path(dossier.parent / 'gemeenten.yaml')} is nieuw, uit het voorbeeld van het pakket; "
            "controleer de gemeenten en vul elke INVULLEN in",
            err=True,
        )
    click.echo(f"volgende stap: vul de INVULLEN-plekken in en controleer met: raadsvoorstel validate {shown}")


@main.command()
@click.argument("dossier", type=DOSSIER)
@click.option(
    "--gemeente", "-g", "gemeenten", multiple=True, metavar="SLUG", help="Alleen deze gemeente(n); standaard alle."
)
@FORMAT_OPTION
@out_option("Uitvoermap.")
@click.option("--strict", is_flag=True, help="Weiger te bouwen zolang er waarschuwingen (INVULLEN) zijn.")
@click.option(
    "--verbose", "-v", is_flag=True,
    help="Noem van elke plek die nog ingevuld moet worden bestand en regel, en of de PDF-snelheidslaag uit staat.",
)  # fmt: skip
@SJABLONEN_OPTION
@KOUD_OPTION
def build(
    dossier: Path,
    gemeenten: tuple[str, ...],
    formats: tuple[str, ...],
    out: Path,
    strict: bool,
    verbose: bool,
    sjablonen: Path | None,
    koud: bool,
) -> None:
    """Bouw de raadsvoorstellen van een dossier als DOCX en PDF (of html, txt).

    Schrijft OUT/<dossier>/<gemeente>/raadsvoorstel-<dossier>-<gemeente>.<ext>.

    \b
    Voorbeeld:
      raadsvoorstel build proposals/impuls-sociale-infrastructuur -g leusden -f pdf
    """
    templates = api.templates_for(dossier, sjablonen)
    try:
        built = api.build_report(dossier, gemeenten, formats or None, out, strict, templates)
    except DataError as exc:
        _print_problems(exc.problems)
        click.echo(_not_built(exc.problems, strict), err=True)
        sys.exit(1)
    for path in built.paths:
        click.echo(f"geschreven: {display_path(path)}")
    for path in built.withheld:
        click.secho(
            f"niet geschreven: {display_path(path)}: bevroren document, dit formaat staat niet in het archief en de "
            "tekst is veranderd (zie raadsvoorstel validate)",
            err=True,
        )
    if built.reproduced:
        click.echo(
            f"{len(built.reproduced)} bevroren document(en) (aangeboden of vastgesteld) byte voor byte overgenomen "
            "uit het archief in het dossier (gemeenten/<gemeente>.archief)"
        )
    print_placeholders(built.placeholders, verbose)
    if verbose and any(path.suffix == ".pdf" for path in built.paths):
        print_speed_notes()
    if built.withheld:
        sys.exit(1)


def _not_built(problems: Sequence[Problem], strict: bool) -> str:
    """Why nothing was written, in words (``--strict`` refuses on warnings alone)."""
    if any(p.severity is Severity.ERROR for p in problems) or not strict:
        return "niets gebouwd: los eerst de fouten hierboven op"
    return (
        "niets gebouwd: --strict weigert zolang er nog iets in te vullen is (INVULLEN); vul de plekken hierboven "
        "in, of bouw zonder --strict om een concept te maken"
    )


def print_speed_notes() -> None:
    """Each lever of the PDF speed layer that stays off in this process, and why (once, with ``--verbose``)."""
    for note in api.speed_notes():
        click.secho(safe_text(note), err=True, fg="yellow")


def print_placeholders(placeholders: dict[str, tuple[Problem, ...]], verbose: bool) -> None:
    """Per document how many places still say INVULLEN; with ``verbose`` each one with file and line."""
    for slug, found in placeholders.items():
        if not found:
            click.echo(safe_text(f"{slug}: niets meer in te vullen"))
            continue
        click.secho(safe_text(f"{slug}: nog {len(found)} plek(ken) in te vullen (INVULLEN)"), fg="yellow")
        if verbose:
            for problem in found:
                click.echo(safe_text(f"  {problem}"))
    if not verbose and any(placeholders.values()):
        click.echo("(--verbose noemt van elke plek bestand en regel)")


@main.command()
@click.argument(
    "proposals_dir", required=False, default=Path("proposals"), type=click.Path(file_okay=False, path_type=Path)
)
@out_option("Uitvoermap; hier komen ook manifest.json en het slot.")
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), help="Aantal werkprocessen; standaard het aantal processorkernen."
)
@click.option("--force", is_flag=True, help="Bouw alles opnieuw, ook wat niet veranderd is.")
@FORMAT_OPTION
@click.option(
    "--verbose", "-v", is_flag=True,
    help="Noem van elke plek die nog ingevuld moet worden bestand en regel, en of de PDF-snelheidslaag uit staat.",
)  # fmt: skip
@SJABLONEN_OPTION
@click.option(
    "--publiceer", is_flag=True,
    help="Maak daarna per gemeente met status aangeboden of vastgesteld een publicatiemap in OUT/publicatie/.",
)  # fmt: skip
@KOUD_OPTION
def batch(
    proposals_dir: Path,
    out: Path,
    jobs: int | None,
    force: bool,
    formats: tuple[str, ...],
    verbose: bool,
    sjablonen: Path | None,
    publiceer: bool,
    koud: bool,
) -> None:
    """Bouw een hele raadsronde: elk dossier × deelnemende gemeente × formaat, parallel.

    Standaard PROPOSALS_DIR is ./proposals. Incrementeel: OUT/manifest.json legt per bestand vast waaruit het
    gemaakt is; wat niet veranderd is, wordt overgeslagen. Een dossier met fouten faalt alleen (afsluitcode 1).
    Ctrl-C of een crash laat alleen hele bestanden achter; een volgende run maakt het af.

    \b
    Voorbeeld:
      raadsvoorstel batch proposals --out output
      raadsvoorstel batch proposals --out output --publiceer
    """
    if not proposals_dir.is_dir():
        raise click.UsageError(f"map {display_path(proposals_dir)} bestaat niet; geef de map met dossiers op")
    if not api.dossier_folders(proposals_dir):
        raise click.UsageError(f"geen dossiers (mappen met voorstel.yaml) gevonden in {display_path(proposals_dir)}")
    templates = api.templates_for(proposals_dir, sjablonen)
    reporter = api.progress_reporter(sys.stdout.isatty() and sys.stderr.isatty())
    try:
        summary = api.run_batch(
            proposals_dir, out, formats or None, jobs, force, templates, reporter=reporter
        )
    except KeyboardInterrupt:
        click.echo("afgebroken; er is niets half geschreven. Draai dezelfde opdracht opnieuw om af te maken.", err=True)
        sys.exit(130)
    print_placeholders(summary.placeholders, verbose)
    if verbose and (not formats or "pdf" in formats):
        print_speed_notes()
    if summary.reproduced:
        click.echo(
            f"{summary.reproduced} bevroren document(en) (aangeboden of vastgesteld) byte voor byte overgenomen "
            "uit het archief in het dossier (gemeenten/<gemeente>.archief)"
        )
    if summary.interrupted_by is not None:
        sys.exit(128 + summary.interrupted_by)
    published_ok = _publish_round(proposals_dir, out, templates) if publiceer else True
    if not summary.ok or not published_ok:
        sys.exit(1)


def _publish_round(proposals_dir: Path, out: Path, templates: Any) -> bool:
    """``batch --publiceer``: one line per municipality; False when any delivery was refused."""
    ok = True
    for row in api.publish_round(proposals_dir, out / "publicatie", templates):
        if row.folder is not None:
            click.echo(f"gepubliceerd: {display_path(row.folder)}")
        elif row.skipped is not None:
            click.echo(f"niet gepubliceerd: {row.dossier}/{row.gemeente} ({row.skipped})")
        else:
            ok = False
            click.secho(f"publicatie geweigerd: {row.dossier}/{row.gemeente}: {safe_text(row.error or '')}", err=True)
    return ok


@main.command(context_settings={"max_content_width": 120})
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="[NEW]", required=False)
@click.option("--gemeente", "-g", metavar="SLUG", help="Alleen deze gemeente; standaard elke gemeente van beide.")
@click.option("--tegen", "-t", metavar="SLUG", help="Vergelijk --gemeente met deze gemeente (uit OLD).")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "html", "docx"]), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Schrijf naar dit bestand.")
@click.option(
    "--auteur", metavar="NAAM", default="raadsvoorstel", show_default=True, help="Auteur van de wijzigingen (docx)."
)
@click.option(
    "--datum", type=click.DateTime(["%Y-%m-%d"]), metavar="JJJJ-MM-DD", help="Datum van de wijzigingen (docx)."
)
@DOCUMENT_OPTION
@click.option("--ontwerp", is_flag=True, help="Eén dossier: ontwerpbesluit tegen het vastgestelde besluit.")
def diff(
    old: str, new: str | None, gemeente: str | None, tegen: str | None, fmt: str, output: Path | None, auteur: str,
    datum: Any, document: str, ontwerp: bool,
) -> None:  # fmt: skip
    """Toon wat er tussen twee versies van een raadsvoorstel veranderd is, per onderdeel.

    OLD en NEW zijn dossiermappen of git-revisies als REV:pad (gelezen met git zelf; de werkmap blijft
    onaangeroerd). Met één dossier, --gemeente en --tegen: waar wijkt de tekst van de ene gemeente af van
    die van de andere? Zonder --gemeente: elke gemeente die in beide versies meedoet.

    text is gekleurd op een terminal en gemarkeerd met [-verwijderd-] {+toegevoegd+} als de uitvoer
    doorgesluisd wordt; html is een losse pagina met <del>/<ins>; docx is NEW met bijgehouden wijzigingen
    (Word: Controleren), voor één gemeente.

    Afsluitcode zoals diff(1): 0 geen verschillen, 1 verschillen, 2 verkeerd gebruik of ongeldige data in
    OLD/NEW, 3 interne fout.

    \b
    Voorbeeld:
      raadsvoorstel diff HEAD~1:proposals/impuls-sociale-infrastructuur proposals/impuls-sociale-infrastructuur -g leusden
    """  # noqa: E501
    if fmt == "docx" and output is None and sys.stdout.isatty():
        raise click.UsageError("een DOCX hoort niet op het scherm: geef -o BESTAND.docx")
    report = api.compare(old, new, gemeente, tegen, document, ontwerp)
    if output is None and fmt == "text":
        from rich.console import Console

        console = Console(highlight=False, soft_wrap=True)
        if console.is_terminal and not console.no_color:
            console.print(api.color_diff(report), end="")
        else:
            click.echo(api.render_diff(report, "text"), nl=False)
    else:
        templates = api.diff_templates(old, new)
        data = api.write_diff(report, fmt, output, auteur, datum.date() if datum is not None else None, templates)
        if output is not None:
            click.echo(f"geschreven: {display_path(output)}", err=True)
        elif isinstance(data, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            click.echo(data, nl=False)
    sys.exit(0 if report.identical else 1)


@main.command()
@click.argument("dossier", type=DOSSIER)
@click.option("--gemeente", "-g", metavar="SLUG", help="Open op deze gemeente; standaard de eerste van het dossier.")
@click.option("--poort", "-p", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Poort van de webserver (0: een vrije poort).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Adres om op te luisteren; alleen dit apparaat, tenzij u een ander adres opgeeft.")
@SJABLONEN_OPTION
def preview(dossier: Path, gemeente: str | None, poort: int, host: str, sjablonen: Path | None) -> None:
    """Toon het document in de browser en werk het bij bij elke keer opslaan.

    Start een webserver op dit apparaat en toont het adres; open dat in een browser. De pagina toont het
    raadsvoorstel van een gemeente zoals de PDF het krijgt, met de meldingen van validate (bestand:regel,
    met een link naar de plek in het document). Elke wijziging van voorstel.yaml, de gemeentebestanden,
    gemeenten.yaml of de sjablonen verschijnt meteen; bij fouten blijft de laatste geldige versie staan.
    De knoppen PDF en DOCX maken die bestanden van dezelfde stand. Schrijft niets in het dossier.
    Stoppen met Ctrl-C.

    \b
    Voorbeeld:
      raadsvoorstel preview proposals/impuls-sociale-infrastructuur --gemeente leusden
    """
    templates = api.templates_for(dossier, sjablonen)

    def ready(url: str) -> None:
        click.echo(f"voorbeeldweergave: {url}  (stoppen met Ctrl-C)")
        if not api.is_loopback(host):
            click.echo(f"let op: {host} is niet alleen dit apparaat; anderen op het netwerk kunnen meekijken.",
                       err=True)

    api.preview(dossier, gemeente, host, poort, templates, on_ready=ready, companion=_warm_listener)
    click.echo("voorbeeldweergave gestopt")


@main.command()
@click.argument("folder", required=False, default=Path("proposals"), type=click.Path(file_okay=False, path_type=Path))
@SJABLONEN_OPTION
def sjablonen(folder: Path, sjablonen: Path | None) -> None:
    """Toon elk sjabloonbestand en waar het vandaan komt (eerste treffer telt).

    Volgorde: --sjablonen MAP, dan templates/ van het project (naast de map proposals/), dan de
    standaardsjablonen van het pakket. FOLDER is een dossier- of proposals-map (standaard ./proposals).

    \b
    Voorbeeld:
      raadsvoorstel sjablonen proposals --sjablonen mijn-huisstijl
    """
    templates = api.templates_for(folder, sjablonen)
    click.echo("zoekvolgorde:")
    for number, root in enumerate(templates.roots, 1):
        click.echo(f"  {number}. {display_path(root)}")
    for name, path in templates.files().items():
        click.echo(f"{safe_text(name)}\t{display_path(templates.origin(path))}")
    profiles = api.profiles_for(folder, templates)
    if profiles:
        click.echo("opmaakprofiel per gemeente:")
    for gemeente, (naam, where) in profiles.items():
        click.echo(safe_text(f"  {gemeente}: {naam} ({where})"))


@main.command()
@click.argument("dossier", type=DOSSIER)
@click.option("--gemeente", "-g", metavar="SLUG", help="Deze gemeente; standaard de eerste van het dossier.")
@click.option("--strict", is_flag=True, help="Bevindingen in de samenvatting voor de inwoner zijn fouten.")
def leesbaarheid(dossier: Path, gemeente: str | None, strict: bool) -> None:
    """Controleer de tekst op taalniveau B1: per onderdeel score, zinnen, lange zinnen en bevindingen.

    Gemeten wordt de tekst zoals de lezer van die gemeente hem leest (met lokale tekst en ingevulde
    variabelen): lange zinnen, lange woorden, lijdende vorm, ambtelijke woorden (met een B1-alternatief) en de
    leesbaarheidsscore Flesch-Douma (hoger is makkelijker). Elke bevinding noemt bestand:regel en de zin. Het
    zijn waarschuwingen: ze laten geen build of validate mislukken.

    \b
    Voorbeeld:
      raadsvoorstel leesbaarheid proposals/impuls-sociale-infrastructuur --gemeente leusden
    """
    result = api.readability(dossier, gemeente, strict)
    click.echo(safe_text(f"leesbaarheid voor {result.naam} (Flesch-Douma: hoger is makkelijker, B1 vanaf ongeveer 60)"))
    found: list[Problem] = []
    for section in result.sections:
        score = "-" if section.score is None else f"{section.score:.0f}"
        click.echo(
            safe_text(
                f"{section.title} ({section.key}): score {score}, {section.counts.sentences} zinnen, "
                f"{section.long_sentences} lange zinnen, {len(section.problems)} bevindingen"
            )
        )
        for problem in section.problems:
            click.echo(safe_text(f"  {problem}"))
        found.extend(section.problems)
    errors = sum(p.severity is Severity.ERROR for p in found)
    click.echo(f"{errors} fout(en), {len(found) - errors} waarschuwing(en)")
    if errors:
        sys.exit(1)


@main.command()
@click.argument(
    "project", required=False, default=Path("."), type=click.Path(exists=True, file_okay=False, path_type=Path)
)
def server(project: Path) -> None:
    """Houd raadsvoorstel warm voor een project: build en batch bouwen dan in dit proces.

    PROJECT is de map met proposals/ (standaard de huidige map). De server luistert op
    PROJECT/.raadsvoorstel/warm.sock, alleen voor uzelf; build en batch in dit project geven hem hun werk en
    schrijven dezelfde uitvoer en bestanden, maar sneller. Draait er geen, of antwoordt hij niet, dan bouwen
    ze zelf (--koud: altijd zelf). Een draaiende preview luistert ook. Stoppen met Ctrl-C.

    \b
    Voorbeeld:
      raadsvoorstel server .
    """
    def ready(path: Path) -> None:
        click.echo(f"warme server: {display_path(path)}  (stoppen met Ctrl-C)")

    from generator.warm.server import serve as serve_warm

    serve_warm(project, run_command, on_ready=ready)
    click.echo("warme server gestopt")


def run_command(argv: list[str]) -> int:
    """The program with this command line, in this process; the exit code as it would end with it (the warm
    server runs its clients' commands with this)."""
    try:
        main(args=argv, prog_name="raadsvoorstel")
        code: int = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    except KeyboardInterrupt:  # the client went away while click was reporting it
        code = 130
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
    return code


def _warm_listener(dossier: Path, render_lock: Any) -> Any:
    """Let ``build`` and ``batch`` of this project run in the preview's warm process too (``generator.warm``),
    taking turns with its renders; without a word when another server of the project already listens."""
    from generator.warm.server import start_for

    try:
        return start_for(dossier, run_command, render_lock=render_lock, warm_up=False)
    except (GeneratorError, OSError):
        return None


@main.command()
@click.argument("dossier", type=click.Path(file_okay=False, path_type=Path))
@click.option("--gemeente", "-g", "gemeenten", multiple=True, metavar="SLUG",
              help="Open op deze gemeente (standaard de eerste); met --nieuw: de deelnemende gemeenten (herhaal).")
@click.option("--nieuw", is_flag=True, help="Maak het dossier eerst aan, zoals 'raadsvoorstel new'.")
@click.option("--poort", "-p", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Poort van de webserver (0: een vrije poort).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Adres om op te luisteren; alleen dit apparaat, tenzij u een ander adres opgeeft.")
@SJABLONEN_OPTION
def edit(dossier: Path, gemeenten: tuple[str, ...], nieuw: bool, poort: int, host: str,
         sjablonen: Path | None) -> None:  # fmt: skip
    """Schrijf het voorstel in de browser: een formulier naast het document.

    Start een webserver op dit apparaat en toont het adres. Links staan alle onderdelen van het voorstel in de
    volgorde van het document, met per gemeente de variabelen, de kop, de status en de ondertekening; rechts
    het document zoals het wordt. Opslaan schrijft alleen de gewijzigde regels in voorstel.yaml en de
    gemeentebestanden (opmerkingen blijven staan); een bestand dat intussen door iets anders is gewijzigd,
    wordt niet overschreven. Met --nieuw maakt het eerst een nieuw dossier (zoals 'new'). Stoppen met Ctrl-C.

    \b
    Voorbeeld:
      raadsvoorstel edit proposals/impuls-sociale-infrastructuur --gemeente leusden
      raadsvoorstel edit --nieuw proposals/jeugdhulp-2026 -g leusden -g soest
    """
    if nieuw:
        written, has_registry = api.new_dossier(dossier, gemeenten, display_path(dossier))
        for path in written:
            click.echo(f"aangemaakt: {display_path(path)}")
        if not has_registry:
            click.echo(f"let op: {display_path(dossier.parent)}/gemeenten.yaml ontbreekt", err=True)
    elif len(gemeenten) > 1:
        raise click.UsageError("geef één --gemeente om de editor op te openen (meer alleen met --nieuw)")
    elif not (dossier / "voorstel.yaml").is_file():
        raise click.UsageError(f"{display_path(dossier)} is geen dossier; een nieuw dossier maakt u met --nieuw")
    templates = api.templates_for(dossier, sjablonen)

    def ready(url: str) -> None:
        click.echo(f"editor: {url}  (stoppen met Ctrl-C)")
        if not api.is_loopback(host):
            click.echo(f"let op: {host} is niet alleen dit apparaat; anderen op het netwerk kunnen meelezen en "
                       "het dossier wijzigen.", err=True)  # fmt: skip

    api.edit(
        dossier, gemeenten[0] if gemeenten else None, host, poort, templates, on_ready=ready, companion=_warm_listener
    )
    click.echo("editor gestopt")


@main.command(name="import")
@click.argument("docx_file", metavar="DOCX", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dossier", "-d", type=click.Path(file_okay=False, path_type=Path),
              help="De dossiermap; standaard proposals/<dossier uit het document>. Een nieuwe map voor een "
                   "voorstel uit een ander sjabloon.")
@click.option("--gemeente", "-g", metavar="SLUG",
              help="Controleer dat het document van deze gemeente is; voor een voorstel uit een ander sjabloon: "
                   "de gemeente van het nieuwe dossier.")
@click.option("--accepteer", "choice", flag_value="accepteer", help="Neem alle bijgehouden wijzigingen over.")
@click.option("--verwerp", "choice", flag_value="verwerp", help="Weiger alle bijgehouden wijzigingen.")
@click.option("--alleen-deze-gemeente", "only_here", is_flag=True,
              help="Schrijf een wijziging van gedeelde tekst als lokale tekst (lokaal:) van deze gemeente.")
@click.option("--schrijf", is_flag=True, help="Schrijf de wijzigingen in de YAML (anders: alleen tonen).")
def import_(
    docx_file: Path, dossier: Path | None, gemeente: str | None, choice: str | None, only_here: bool, schrijf: bool
) -> None:
    """Lees een in Word of LibreOffice bewerkt raadsvoorstel (DOCX) terug in het dossier.

    Zonder --schrijf toont het per onderdeel wat er in het document zou veranderen en welke velden in
    welke bestanden; met --schrijf komen de wijzigingen in de YAML (commentaar, volgorde en alle andere
    regels blijven precies zoals ze waren). Een document met bijgehouden wijzigingen wordt alleen gelezen
    met --accepteer of --verwerp; opmerkingen worden getoond, nooit overgenomen.

    \b
    Voorbeeld:
      raadsvoorstel import raadsvoorstel-impuls-sociale-infrastructuur-leusden.docx
      raadsvoorstel import raadsvoorstel-impuls-sociale-infrastructuur-leusden.docx --schrijf
    """
    result = api.import_docx(docx_file, dossier, gemeente, choice, schrijf, only_here)
    if result.foreign is not None:
        _report_foreign(result, schrijf)
        return
    found = result.plan
    if result.revisions:
        what = "overgenomen" if choice == "accepteer" else "geweigerd"
        click.echo(f"{result.revisions} bijgehouden wijziging(en) {what}")
    for comment in result.comments:
        where = f" [{comment.section}]" if comment.section else ""
        click.echo(f"opmerking van {comment.author}{where}: {comment.text}")
    for note in found.notes:
        click.echo(f"let op: {note}", err=True)
    for refused in found.refused:
        click.echo(f"niet overgenomen: {refused}", err=True)
    if found.empty:
        click.echo("geen wijzigingen: het document zegt hetzelfde als de gegevens")
        sys.exit(1 if found.refused else 0)
    if found.before is not None and found.after is not None:
        click.echo(api.import_diff(found.before, found.after), nl=False)
    for change in found.changes:
        click.echo(f"veld {change}")
    if found.others:
        click.echo(f"gedeelde tekst ({', '.join(found.shared)}): dit verandert ook het document van "
                   + ", ".join(found.others) + "; alleen voor deze gemeente? gebruik --alleen-deze-gemeente")
    if result.written:
        for file in result.written:
            click.echo(f"geschreven: {display_path(file)}")
    elif schrijf:
        click.echo("niets geschreven: los eerst op wat niet overgenomen kon worden", err=True)
        sys.exit(1)
    else:
        click.echo("niets geschreven; voeg --schrijf toe om dit in de YAML te zetten")


def _report_foreign(result: Any, schrijf: bool) -> None:
    """What a proposal from another template gave: sections recognised, text without a place, images, files."""
    found = result.foreign
    click.echo("een voorstel in een ander sjabloon: nieuw dossier")
    for line in found.recognised:
        click.echo(f"kop herkend: {line}")
    for key, value in found.fields.items():
        click.echo(f"titelblok: {key} = {value}")
    for where, text in found.unplaced:
        click.echo(f"niet geplaatst ({where}): {text[:120]}", err=True)
    for where in found.images:
        click.echo(f"afbeelding ({where}): niet overgenomen; voeg haar toe als bijlage", err=True)
    for line in result.files:
        click.echo(("geschreven: " if schrijf else "zou schrijven: ") + line)
    if schrijf:
        click.echo(f"controleer met: raadsvoorstel validate {display_path(result.plan.dossier)}")
    else:
        click.echo("niets geschreven; voeg --schrijf toe om het dossier te maken")


cli_nl.dutch_metavars(main)

if __name__ == "__main__":  # pragma: no cover
    main()


@main.command()
@click.argument("dossier", type=DOSSIER)
@click.option("--gemeente", "-g", required=True, metavar="SLUG", help="Korte naam van de gemeente, bv. soest.")
@click.option("--reden", required=True, help="Waarom het aangeboden voorstel verandert, in één zin.")
@click.option("--datum", type=click.DateTime(["%Y-%m-%d"]), help="Datum (JJJJ-MM-DD); anders vandaag.")
def herzie(dossier: Path, gemeente: str, reden: str, datum: Any) -> None:
    """Leg een bewuste wijziging van een aangeboden voorstel vast ("Gewijzigd raadsvoorstel").

    Schrijft de wijziging (datum en reden) onder 'herzieningen' in gemeenten/<gemeente>.yaml en werkt het archief
    van bevroren documenten bij (oude en nieuwe hash). Een vastgesteld besluit wordt niet herzien.

    \b
    Voorbeeld:
      raadsvoorstel herzie proposals/jeugdhulp-2026 -g soest --reden "Bedrag in beslispunt 2 gecorrigeerd"
    """
    revised = api.herzie(dossier, gemeente, reden, datum.date() if datum is not None else None)
    click.echo(f"bijgewerkt: {display_path(revised.overlay)}")
    for revision in revised.revisions:
        click.echo(
            f"herzien: {revision.kind} van {gemeente} op {revision.date} "
            f"(tekst {revision.old[:12]} → {revision.new[:12]}): {safe_text(revision.reason)}"
        )
    click.echo("bouw opnieuw (build of batch): de documenten heten nu 'Gewijzigd raadsvoorstel', met de datum")


@main.command()
@click.argument("dossier", type=DOSSIER)
@click.option("--schrijf", is_flag=True, help="Schrijf de getoonde wijzigingen ook echt in de bestanden.")
def bijwerken(dossier: Path, schrijf: bool) -> None:
    """Breng een dossier van een eerdere versie naar het huidige dataformaat (formaat: 1).

    Toont eerst per bestand wat er verandert (een diff); met --schrijf worden de wijzigingen aangebracht, met
    commentaar, volgorde en alle andere regels ongemoeid. Nieuwe onderdelen krijgen INVULLEN.

    \b
    Voorbeeld:
      raadsvoorstel bijwerken proposals/oud-dossier
      raadsvoorstel bijwerken proposals/oud-dossier --schrijf
    """
    updates = api.bijwerken(dossier, write=schrijf)
    if not updates:
        click.echo(f"{display_path(dossier)} heeft al het huidige formaat; niets te doen")
        return
    for update in updates:
        click.echo(safe_text(update.diff), nl=False)
    if schrijf:
        shown = display_path(dossier)
        click.echo(f"bijgewerkt: {len(updates)} bestand(en); controleer met: raadsvoorstel validate {shown}")
    else:
        click.echo("niets geschreven; schrijf deze wijzigingen met --schrijf")


def run() -> None:
    """The ``raadsvoorstel`` program (console script and ``python -m generator``): the CLI, then a quick exit.

    Why: once a command has finished, its files are written and closed; what Python still does before the
    process ends is tear the interpreter down, freeing every module and object (pydantic, Jinja, the models),
    which took 30-40 ms of a 1.3 s batch and changes nothing on disk. So the exit handlers run (the
    forkserver is stopped, coverage saves its data), the output streams are flushed, and the process ends
    with ``os._exit``. When a thread that Python would wait for is still running, or this Python has no
    ``atexit._run_exitfuncs``, it exits the ordinary way.
    """
    import atexit
    import contextlib
    import threading

    try:
        main(prog_name="raadsvoorstel")
        code: int = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:  # a message (click does not do this, but sys.exit("...") would)
            print(exc.code, file=sys.stderr)
            code = 1
    waited_for = [t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon]
    run_handlers = getattr(atexit, "_run_exitfuncs", None)
    if waited_for or run_handlers is None:
        sys.exit(code)
    run_handlers()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (| head) or stream: nothing left to say
            stream.flush()
    os._exit(code)
