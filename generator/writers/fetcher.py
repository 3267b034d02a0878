"""The only way WeasyPrint may load a resource: ``file:`` URLs below ``templates/`` (and ``data:`` URLs, which
carry their own bytes), nothing else.

Why: a proposal's text comes from data files that many people edit. Escaping keeps raw HTML out, but a
renderer that could fetch ``http://`` or arbitrary ``file:`` URLs would still be one template mistake away
from leaking local files into a PDF (WeasyPrint even embeds ``rel=attachment`` targets) or calling out to
the network. So the fetcher allows exactly one thing: reading a regular file whose real path (symlinks and
``..`` resolved) lies inside the templates folder (the rule lives in :mod:`generator.writers.templatefiles`).
There is no network code path, hence no redirects.

WeasyPrint swallows ordinary exceptions from a fetcher and only logs a warning, so a refusal raises
:class:`RefusedResource`, a ``weasyprint.urls.FatalURLFetchingError`` (a ``BaseException`` in v70) that
stops the render; the PDF writer turns it into a :class:`~generator.errors.RenderError`. WeasyPrint still
swallows failures while drawing SVG images, so the fetcher also records every refusal in ``refused`` and
the PDF writer checks that list after rendering.
"""

from __future__ import annotations

import mimetypes

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from generator.errors import RenderError
from generator.writers.templatefiles import Templates

__all__ = ["RefusedResource", "TemplatesOnlyFetcher"]

_MIME_FALLBACK = "application/octet-stream"


class RefusedResource(FatalURLFetchingError):  # type: ignore[misc]  # weasyprint is untyped
    """A resource the fetcher will not load; the message is Dutch and meant for the user."""


class TemplatesOnlyFetcher(URLFetcher):  # type: ignore[misc]  # weasyprint is untyped
    """A WeasyPrint URL fetcher that serves template files and refuses everything else, fatally."""

    def __init__(self, templates: Templates) -> None:
        # The parent's options only matter for its own fetch(), which is never called; they are set to the
        # strictest values anyway so nothing changes if a later WeasyPrint routes a call there.
        super().__init__(allowed_protocols=("file",), allow_redirects=False, fail_on_errors=True)
        self.templates = templates
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        """Serve ``url`` if it is a template file or a ``data:`` URL; otherwise record it and stop the render."""
        try:
            if url.startswith("data:"):
                return _inline(url)
            path = self.templates.from_url(url)
        except RenderError as exc:
            self.refused.append(str(exc))
            raise RefusedResource(str(exc)) from exc
        mime, _encoding = mimetypes.guess_type(path.name)
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime or _MIME_FALLBACK})

    def open(self, url: object, data: object = None, timeout: object = None) -> URLFetcherResponse:
        """Route urllib-style calls through :meth:`fetch` too, so no handler of the parent is ever used."""
        full_url = getattr(url, "full_url", url)
        return self.fetch(str(full_url))


def _inline(url: str) -> URLFetcherResponse:
    """A ``data:`` URL's own bytes (the HTML writer inlines a raster logo this way): nothing is read from disk
    or the network. Only the base64 form the writer makes is accepted; anything else is refused."""
    import base64
    import binascii

    head, _, data = url.partition(",")
    mime, _, encoding = head.removeprefix("data:").partition(";")
    try:
        if encoding != "base64":
            raise ValueError(encoding)
        body = base64.b64decode(data, validate=True)
    except (ValueError, binascii.Error) as exc:
        raise RenderError("bron 'data:…' geweigerd: alleen base64-gecodeerde afbeeldingen uit de sjablonen") from exc
    return URLFetcherResponse(url, body, {"Content-Type": mime or _MIME_FALLBACK})
