"""``raadsvoorstel edit``: the preview plus forms, so a clerk writes a proposal without touching YAML.

The editor is the preview server (its Host check, its warm renderer, its event stream) with a few more routes.
Every write goes through :mod:`generator.editing` (minimal ruamel round-trip edits, atomic, conflict-checked).

Modules, one job each: ``files`` (which files a request may name, and the key paths inside them), ``form``
(the form built from the section table and the models' schema), ``saving`` (a save request → edits),
``local`` (a paragraph made local for one municipality: label and ``lokaal:`` entry), ``uploads`` (attachments
into ``bijlagen/``), ``routes`` (the routes, the CSRF token and the Origin check).
"""
