"""Full-text search: the Whoosh index of a corpus, the query language, hits with spans.

Owns the index's fields (``schema``) and how words are cut and stemmed (``analysis``),
keeping the index fresh (``index``, with its record of what it holds: ``manifest``),
reading a query (``query``), wildcards and fuzzy terms on words as written
(``forms``), scoring (``ranking``, ``phrase``), running a search and
building hits (``run``), and finding match spans and snippets in a body (``spans``).
What a search answers with is in ``hits``. Every span is an offset into the body of
:mod:`tui.core.text`.
"""
