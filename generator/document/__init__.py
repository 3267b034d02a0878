"""The document IR (``nodes``) and the builder that turns a resolved proposal into it (``build``)."""
