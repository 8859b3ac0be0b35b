"""Annotations: highlights with tags and notes, kept as TOML files that never lose one.

Owns the model (``model``: an annotation and its re-anchored state), one article's TOML
file (``articlefile``, on the shared helpers of ``tomlfile``), the store with its lock and
transactions (``store``), re-anchoring on a changed body (``anchoring``), the codebook
(``codebook``), the undo log (``oplog``), which annotations a command works on
(``selection``) and ``gloss check`` (``check``).
"""
