"""Benchmark of ``raadsvoorstel batch`` against LibreOffice: ``make bench`` (``python -m bench``).

Modules:
    __main__    the command: runs every measurement, prints the table and the targets, saves bench/results/
    workspace   temp folders: a copy of the example, a synthetic round of many dossiers
    driver      ``python -m bench.driver``: one batch in a fresh process, with per-document figures as JSON
    measure     timing the CLI, the driver and ``soffice --convert-to pdf``
    profiling   ``--profiel``: where a document's time goes (cProfile)
    report      the table, the targets, and the JSON that is saved
"""
