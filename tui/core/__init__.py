"""Gloss's headless core: corpus, index, annotation store and exports.

Nothing under this package may import Textual; the UI and the CLI call into it.
"""
