"""`python -m tui` is the same as the `gloss` command."""

from tui.cli import main

if __name__ == "__main__":  # not in a worker process spawned by a build
    raise SystemExit(main())
