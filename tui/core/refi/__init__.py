"""REFI-QDA exchange: how Gloss talks to NVivo, ATLAS.ti, MAXQDA, QualCoder and others.

Owns the shared vocabulary (``vocabulary``: namespaces, deterministic GUIDs, XML-safe
text and times), the codebook as a REFI code tree (``codes``), the mapping of another
tool's character offsets onto a Gloss body (``offsets``), reading a ``.qdpx`` package
(``package``) and turning it into a new Gloss project (``importer``). The writers are
export formats like the others: ``tui.core.export.qdpx`` and ``tui.core.export.qdc``.
"""
