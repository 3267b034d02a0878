"""``python -m generator`` runs the ``raadsvoorstel`` command."""

from generator.entry import run

run()
