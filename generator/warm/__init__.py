"""Warm builds: ``build`` and ``batch`` hand their work to a running raadsvoorstel process of the same project.

Why: a cold command pays for its start every time (Python, the CLI, pydantic and the models, WeasyPrint, the
fonts, the first document of a dossier); a process that stays up pays once. ``raadsvoorstel server`` (and a
running ``preview``) listens on a Unix socket in the project's state folder (``protocol``); the program's entry
point asks it first (``client``, stdlib only, so a warm command imports almost nothing) and falls back to the
cold path without a word when no server answers in time, it runs another version, or it is busy. The server
(``server``) runs the very same click command in its own process, with the client's working directory, output
streams and terminal, so output, exit codes and files are those of the cold path.
"""
