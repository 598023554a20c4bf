"""Start-up imports only what the library shows (the other screens load when first shown)."""

from __future__ import annotations

import subprocess
import sys

LATER = (
    "speechreader.tui.screens.reader",
    "speechreader.tui.screens.codebook",
    "speechreader.tui.screens.search",
    "speechreader.tui.screens.help",
    "speechreader.tui.screens.analysis",
    "speechreader.tui.dialogs.skipped",
    "speechreader.tui.dialogs.metadata_editor",
    "speechreader.core.search",
    "pypinyin",
)


def test_the_app_module_imports_none_of_the_screens_not_shown_at_start():
    code = (
        "import sys\n"
        "import speechreader.tui.app\n"
        "print('\\n'.join(m for m in sys.modules if m.startswith(('speechreader', 'pypinyin'))))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.split()
    assert "speechreader.tui.screens.library" in loaded
    assert [m for m in LATER if m in loaded] == []
