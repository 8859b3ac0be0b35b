"""Analysis of a coded corpus: kwic (every match in context), stats, agreement.

Headless like the rest of the core: the CLI prints these, the UI's screens page them.
"""
