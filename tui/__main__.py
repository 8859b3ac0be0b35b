"""`python -m tui` is the same as the `gloss` command."""

from tui.cli import main

raise SystemExit(main())
