"""``python -m generator`` runs the ``raadsvoorstel`` command."""

from generator.cli import main

main(prog_name="raadsvoorstel")
