"""The layering is checked by import-linter's contracts (pyproject.toml), run here so the test command covers it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_import_contracts_are_kept():
    lint = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    result = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout and ", 0 broken" in result.stdout


def test_every_package_is_listed_for_the_wheel():
    """pyproject lists packages by hand; a package missing there is missing from the wheel (and an
    editable install of a listed package that is not in git fails)."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "fakekube").rglob("__init__.py")}
    assert found <= listed, sorted(found - listed)
    assert {name for name in listed if name.startswith("fakekube.")} <= found
