"""Plain language (taalniveau B1): a check of the running text of a proposal, section by section.

Pure functions over text (``check``, ``sentences``, ``words``, ``readability``, ``passive``, ``officialese``)
and one data file, ``ambtelijk.toml``, the word list with B1 alternatives; ``proposal`` applies them to one
municipality's resolved proposal and reports located warnings. Nothing here downloads or loads a model.
"""
