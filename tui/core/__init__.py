"""Gloss's headless core: corpus, search, annotations and exports, and what they share.

Nothing under this package may import Textual; the UI and the CLI call into it (an
import-linter contract in pyproject.toml checks it). At the top level lives only what
every part uses: ``errors``, ``models`` (the article), ``text`` (the normalised body
every offset refers to), ``paths``, ``config``, ``project``, ``workspace`` (one
project's open state), ``ordering`` (one sort order for lists and hits) and ``fileio``
(atomic writes). The parts are the subpackages ``corpus``, ``search``, ``annotations``
and ``export``, each saying in its docstring what it owns.
"""
