"""The core must stay headless: importing all of it never loads Textual."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO

SCRIPT = """
import importlib, pkgutil, sys
import tui.core
names = [m.name for m in pkgutil.walk_packages(tui.core.__path__, "tui.core.")]
for name in names:
    importlib.import_module(name)
assert len(names) >= 10, names
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(len(names), loaded)
sys.exit(1 if loaded else 0)
"""


def test_core_never_imports_textual() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
