"""The core must stay importable without Textual: notebooks and scripts rely on it."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = [
    "speechreader.core.anchors",
    "speechreader.core.autocode",
    "speechreader.core.codebook",
    "speechreader.core.config",
    "speechreader.core.convert",
    "speechreader.core.corpus",
    "speechreader.core.encoding",
    "speechreader.core.export",
    "speechreader.core.metadata",
    "speechreader.core.offsets",
    "speechreader.core.problems",
    "speechreader.core.search",
    "speechreader.core.search_cache",
    "speechreader.core.search_form",
    "speechreader.core.search_index",
    "speechreader.core.segment",
    "speechreader.core.store",
    "speechreader.core.units",
]


def test_core_imports_without_textual_or_rich():
    code = (
        "import sys\n"
        f"for name in {CORE_MODULES!r}: __import__(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_cli_listing_does_not_import_the_tui():
    code = (
        "import sys\n"
        "from speechreader.cli import cli\n"
        "loaded = [m for m in sys.modules if m.startswith(('textual', 'speechreader.tui'))]\n"
        "print(','.join(sorted(loaded)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
