"""The corpus: a folder of article files read into articles with bodies and metadata.

Owns walking the folder (``folder``: which files are articles, their ids, from ``stat``
alone), decoding bytes to text (``decoding``), reading one file into an
:class:`~tui.core.models.Article` (``parse``: front matter, inferred metadata, dates,
boilerplate lines), the loaded corpus (``load``) and the parsed-article cache kept
between runs (``cache``). The normalised body itself is defined in :mod:`tui.core.text`.
"""
