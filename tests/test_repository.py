"""What the repository holds: front-end libraries come from the npm lock, never from committed copies."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VENDOR = "src/kefu/core/static/vendor"


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def checkout():
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")


def test_vendor_libraries_are_not_committed(checkout):
    assert _git("ls-files", VENDOR).strip() == ""


def test_vendor_folder_is_ignored(checkout):
    assert _git("check-ignore", f"{VENDOR}/htmx.min.js").strip() == f"{VENDOR}/htmx.min.js"


def test_setup_copies_the_libraries_from_the_npm_lock():
    bootstrap = (ROOT / "scripts/bootstrap.sh").read_text()
    assert "node_modules/htmx.org/dist/htmx.min.js" in bootstrap
    assert "node_modules/echarts/dist/echarts.min.js" in bootstrap
    lock = (ROOT / "package-lock.json").read_text()
    assert '"node_modules/htmx.org"' in lock and '"node_modules/echarts"' in lock
