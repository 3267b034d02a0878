"""``python -m generator`` runs the ``raadsvoorstel`` command."""

from generator.cli import run

run()
