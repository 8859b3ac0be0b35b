"""Analysis of a coded corpus: inter-coder agreement (``agreement``).

Headless like the rest of the core: the CLI prints these tables, the UI shows them.
"""
