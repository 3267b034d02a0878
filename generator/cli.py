"""The ``raadsvoorstel`` command: a few lines per command over ``api``; errors become Dutch messages.

Exit codes: 0 ok · 1 problems found (invalid data, failed documents) · 2 usage · 3 internal error.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from generator import api
from generator.errors import DataError, GeneratorError, Problem, Severity, display_path

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
        except Exception as exc:  # an internal error: a bug, not the user's fault
            if ctx.params.get("traceback"):
                traceback.print_exc()
            click.echo(
                f"interne fout: {type(exc).__name__}: {exc}\n"
                "Dit is een fout in raadsvoorstel; draai opnieuw met --traceback en meld de uitvoer.",
                err=True,
            )
            ctx.exit(3)


def _print_error(exc: GeneratorError) -> None:
    if isinstance(exc, DataError):
        _print_problems(exc.problems)
    else:
        click.echo(f"fout: {exc}", err=True)


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        colour = "red" if problem.severity is Severity.ERROR else "yellow"
        click.secho(str(problem), err=True, fg=colour)
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
    report = api.validate(folders)
    if report.problems:
        _print_problems(report.problems)
    if not report.ok(strict):
        sys.exit(1)
    click.echo(f"in orde: {', '.join(display_path(f) for f in folders)}")


@main.command()
@click.argument("dossier", type=DOSSIER)
@click.option("--gemeente", "-g", required=True, help="Korte naam van de gemeente, bv. leusden.")
def dump(dossier: Path, gemeente: str) -> None:
    """Toon de platte tekst van het raadsvoorstel van één gemeente.

    \b
    Voorbeeld:
      raadsvoorstel dump proposals/impuls-sociale-infrastructuur --gemeente leusden
    """
    click.echo(api.dump(dossier, gemeente), nl=False)


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
def new(dossier: Path) -> None:
    """Maak een nieuw dossier met alle onderdelen en per onderdeel een hint.

    \b
    Voorbeeld:
      raadsvoorstel new proposals/jeugdhulp-2026
    """
    target, has_registry = api.new_dossier(dossier)
    click.echo(f"aangemaakt: {display_path(target)}")
    if not has_registry:
        click.echo(
            f"let op: {display_path(dossier.parent)}/gemeenten.yaml ontbreekt; maak het register van gemeenten aan",
            err=True,
        )


@main.command()
@click.argument("dossier", type=DOSSIER)
@click.option("--gemeente", "-g", "gemeenten", multiple=True, help="Alleen deze gemeente(n); standaard alle.")
@FORMAT_OPTION
@out_option("Uitvoermap.")
@click.option("--strict", is_flag=True, help="Weiger te bouwen zolang er waarschuwingen (INVULLEN) zijn.")
@SJABLONEN_OPTION
def build(
    dossier: Path, gemeenten: tuple[str, ...], formats: tuple[str, ...], out: Path, strict: bool, sjablonen: Path | None
) -> None:
    """Bouw de raadsvoorstellen van een dossier als DOCX en PDF (of html, txt).

    Schrijft OUT/<dossier>/<gemeente>/raadsvoorstel-<dossier>-<gemeente>.<ext>.

    \b
    Voorbeeld:
      raadsvoorstel build proposals/impuls-sociale-infrastructuur -g leusden -f pdf
    """
    templates = api.templates_for(dossier, sjablonen)
    written = api.build(dossier, gemeenten, formats or api.DEFAULT_FORMATS, out, strict, templates)
    for path in written:
        click.echo(f"geschreven: {display_path(path)}")


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
@SJABLONEN_OPTION
def batch(
    proposals_dir: Path, out: Path, jobs: int | None, force: bool, formats: tuple[str, ...], sjablonen: Path | None
) -> None:
    """Bouw een hele raadsronde: elk dossier × deelnemende gemeente × formaat, parallel.

    Standaard PROPOSALS_DIR is ./proposals. Incrementeel: OUT/manifest.json legt per bestand vast waaruit het
    gemaakt is; wat niet veranderd is, wordt overgeslagen. Een dossier met fouten faalt alleen (afsluitcode 1).
    Ctrl-C of een crash laat alleen hele bestanden achter; een volgende run maakt het af.

    \b
    Voorbeeld:
      raadsvoorstel batch proposals --out output
    """
    if not proposals_dir.is_dir():
        raise click.UsageError(f"map {display_path(proposals_dir)} bestaat niet; geef de map met dossiers op")
    if not api.dossier_folders(proposals_dir):
        raise click.UsageError(f"geen dossiers (mappen met voorstel.yaml) gevonden in {display_path(proposals_dir)}")
    templates = api.templates_for(proposals_dir, sjablonen)
    reporter = api.progress_reporter(sys.stdout.isatty() and sys.stderr.isatty())
    try:
        summary = api.run_batch(
            proposals_dir, out, formats or api.DEFAULT_FORMATS, jobs, force, templates, reporter=reporter
        )
    except KeyboardInterrupt:
        click.echo("afgebroken; er is niets half geschreven. Draai dezelfde opdracht opnieuw om af te maken.", err=True)
        sys.exit(130)
    if summary.interrupted_by is not None:
        sys.exit(128 + summary.interrupted_by)
    if not summary.ok:
        sys.exit(1)


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
def diff(
    old: str, new: str | None, gemeente: str | None, tegen: str | None, fmt: str, output: Path | None, auteur: str,
    datum: Any,
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
    report = api.compare(old, new, gemeente, tegen)
    if output is None and fmt == "text":
        from rich.console import Console

        console = Console(highlight=False, soft_wrap=True)
        if console.is_terminal and not console.no_color:
            console.print(api.color_diff(report), end="")
        else:
            click.echo(api.render_diff(report, "text"), nl=False)
    else:
        data = api.write_diff(report, fmt, output, auteur, datum.date() if datum is not None else None)
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

    api.preview(dossier, gemeente, host, poort, templates, on_ready=ready)
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
        click.echo(f"{name}\t{display_path(templates.origin(path))}")


if __name__ == "__main__":  # pragma: no cover
    main()
