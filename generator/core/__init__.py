"""The pipeline as plain functions, under every command: load → resolve → documents → render → write.

Why a package of its own: ``api`` is the front door for the CLI and for users, and the packages that make a
council round (``batch``), compare drafts (``diffing``), serve the live preview (``preview``) or publish build
on the pipeline too. They all stand on this core, which imports nothing above it (``tests/test_architecture.py``),
so no stage reaches back up through the front door.

- :mod:`.report` the outcome of a check (problems, each municipality's status);
- :mod:`.load` a dossier's files → resolved, validated documents per municipality;
- :mod:`.validate` every problem of one or more dossiers;
- :mod:`.render` one document in one format, in memory; :mod:`.views` its canonical text and metadata record;
- :mod:`.write` documents and schemas to files, atomically (:mod:`.output`: paths under ``--out``);
- :mod:`.scaffold` a new dossier.
"""
