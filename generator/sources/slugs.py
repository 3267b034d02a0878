"""The one rule for short names (slugs) of dossiers and municipalities.

Why a module of its own: folder names, output paths and template paths are checked against this rule in
places that must stay cheap to import (planning a batch, the batch workers), so it lives apart from the
pydantic models that also use it.
"""

from __future__ import annotations

import re

__all__ = ["SLUG_RE"]

#: A slug: lower-case letters, digits and hyphens, starting with a letter or digit, at most 64 characters.
#: Safe as one path component on every file system. Use ``fullmatch``: ``$`` alone would let a trailing
#: newline through.
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
