"""A dossier at a git revision (``HEAD~1:proposals/impuls-sociale-infrastructuur``) as a ``loading.Tree``.

Why through git itself and not a checkout: a reviewer compares the draft they are editing with an older one;
checking out (or stashing) would touch their work tree. ``git ls-tree`` lists the files of that revision once,
``git cat-file`` reads a file, nothing is written anywhere. The registry ``gemeenten.yaml`` is read from the
dossier's parent folder in the same revision, so signatories are those of that moment too.

``REV:path`` follows git's own rule: the path is relative to the top of the repository, unless it starts
with ``./`` or ``../`` (then it is relative to the current folder). Files are named ``REV:path/voorstel.yaml``
in problems, so a mistake in an old revision still points at its line.
"""

from __future__ import annotations

import posixpath
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from generator.errors import UsageError
from generator.sources import MAX_BYTES

SYMLINK_MODE = "120000"  # a link's blob holds its target path, not YAML: it is not read as a data file


def is_revision_spec(argument: str) -> bool:
    """True when ``argument`` means ``REV:path`` (an existing folder of that name wins)."""
    return ":" in argument and not Path(argument).exists()


@dataclass(frozen=True)
class GitTree:
    """The folder ``root`` (below the top of ``repo``) at ``commit``; ``rev`` is how the user named it."""

    repo: Path
    commit: str
    rev: str
    root: PurePosixPath
    blobs: dict[PurePosixPath, tuple[str, int]] = field(repr=False)  # path below root → (object id, size)
    dirs: frozenset[PurePosixPath] = field(repr=False)

    @classmethod
    def open(cls, spec: str, cwd: Path | None = None) -> tuple[GitTree, str]:
        """``REV:path/to/dossier`` → (tree of the dossier's parent folder at REV, the dossier's slug)."""
        rev, _, raw_path = spec.partition(":")
        if not rev or rev.startswith("-"):
            raise UsageError(
                f"'{spec}' is geen geldige git-revisie; schrijf REV:pad, bv. HEAD~1:proposals/mijn-dossier"
            )
        where = cwd or Path.cwd()
        top = _git(["rev-parse", "--show-toplevel"], where, f"'{where}' ligt niet in een git-repository")
        repo = Path(top.decode().strip())
        commit = (
            _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], repo, f"onbekende git-revisie '{rev}'")
            .decode()
            .strip()
        )
        path = raw_path
        if path.startswith(("./", "../")) or path in (".", ".."):
            prefix = _git(["rev-parse", "--show-prefix"], where, "git-map onbekend").decode().strip()
            path = prefix + path
        path = posixpath.normpath(path.strip("/")) if path.strip("/") else ""
        if not path or path == "." or path.startswith("../") or path == "..":
            raise UsageError(f"'{spec}': geef het pad van een dossiermap in de repository, bv. {rev}:proposals/dossier")
        dossier = PurePosixPath(path)
        root = dossier.parent
        listing = _git(
            ["ls-tree", "-r", "-z", "-l", commit, "--", *([str(root)] if str(root) != "." else [])],
            repo,
            f"kan de bestanden van '{rev}' niet lezen",
        )
        blobs: dict[PurePosixPath, tuple[str, int]] = {}
        for entry in listing.split(b"\0"):
            if not entry:
                continue
            meta, _, name = entry.partition(b"\t")
            mode, kind, oid, size = meta.decode().split()
            if kind == "blob" and mode != SYMLINK_MODE:
                full = PurePosixPath(name.decode("utf-8", "surrogateescape"))
                blobs[full.relative_to(root) if str(root) != "." else full] = (oid, int(size))
        dirs = frozenset(parent for rel in blobs for parent in rel.parents if str(parent) != ".")
        tree = cls(repo, commit, rev, root, blobs, dirs)
        if PurePosixPath(dossier.name) not in dirs:
            raise UsageError(f"'{path}' bestaat niet in revisie '{rev}' (of is geen map)")
        return tree, dossier.name

    def read_bytes(self, rel: PurePosixPath) -> bytes:
        oid, size = self.blobs[rel]
        with subprocess.Popen(
            ["git", "cat-file", "blob", oid], cwd=self.repo, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        ) as process:
            assert process.stdout is not None
            data = process.stdout.read(MAX_BYTES + 1)  # the loader refuses larger files; never read them whole
            if size > MAX_BYTES:
                process.kill()
        return data

    def is_file(self, rel: PurePosixPath) -> bool:
        return rel in self.blobs

    def is_dir(self, rel: PurePosixPath) -> bool:
        return rel in self.dirs

    def list_dir(self, rel: PurePosixPath) -> list[str]:
        names = {p.name for p in (*self.blobs, *self.dirs) if p.parent == rel}
        return sorted(names)

    def display(self, rel: PurePosixPath) -> str:
        return f"{self.rev}:{self.root / rel if str(self.root) != '.' else rel}"


def _git(args: list[str], cwd: Path, failure: str) -> bytes:
    """Run a read-only git command; a failure becomes a usage error with ``failure`` as its message."""
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise UsageError("git is niet geïnstalleerd; vergelijk mappen in plaats van revisies") from exc
    if result.returncode != 0:
        raise UsageError(failure)
    return result.stdout
