"""What the browser tests share: Debian's chromium driven by Playwright, the
launch flags, and where screenshots go.  Importing it skips the importing
test module when Playwright or chromium is missing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]

playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install playwright)")
if not os.path.exists(CHROMIUM):
    pytest.skip(f"no chromium at {CHROMIUM} (apt-get install -y chromium fonts-noto-cjk)", allow_module_level=True)


def launch(pw):
    """A headless chromium from a ``sync_playwright()`` context."""
    return pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
