"""The PostgreSQL search backend: one database a whole team searches.

``gloss.toml`` ``search = "postgresql://user@host/db"`` (or ``GLOSS_SEARCH``) replaces
the embedded Whoosh index with tables on a PostgreSQL server; ``gloss index`` loads the
catalogue and the search columns there, and every search of the CLI and the app runs
there. The query language and the results contract are Whoosh's (see
:mod:`tui.core.search.query`): the query is parsed by the same parser and the tree is
translated to SQL, so both engines answer the same question.

Why the columns are made here, not by PostgreSQL's ``to_tsvector``: Gloss's words are its
own (:mod:`tui.core.search.analysis`: its word pattern, accent folding, Porter stems, no
stop words) and spans are found on the body with that analyzer. Lexemes computed by the
same code make both engines match the same articles and every hit's spans the words that
matched; PostgreSQL's english parser and Snowball stemmer would match other words (see
the README's "Running for a team" for what still differs).

Modules: :mod:`.fields` (an article's row), :mod:`.schema` (tables and indexes),
:mod:`.connect` (connections, timeouts, errors that name the host, the writers' lock),
:mod:`.sync` (``gloss index``: batched, resumable, O(changed)), :mod:`.translate` (query
tree to SQL), :mod:`.backend` (:class:`~.backend.PostgresIndex`, what the CLI and the app
call). psycopg is imported only here, so a Whoosh user never loads it.
"""
