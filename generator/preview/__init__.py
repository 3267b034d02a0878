"""``raadsvoorstel preview``: a local web page that shows a dossier's document and follows every save.

A thin layer over :mod:`generator.core`: one warm process loads and renders with the same functions as
``build`` and ``validate``; a file watcher tells open pages over server-sent events that the inputs changed.

Modules, one job each: ``kinds`` (which documents can be shown), ``problems`` (a validate finding → what the
page lists, with the place in the document it concerns), ``state`` (the warm renderer and the last good
document), ``watch`` (which files are inputs), ``shell`` (the page around the document), ``app`` (the routes
and the Host check), ``server`` (the socket, uvicorn and Ctrl-C).
"""
