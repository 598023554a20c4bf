"""A crash in the real app, in a real (pseudo-)terminal: exit status 1, a report, its path.

Before, Textual printed a traceback full of local variables and the process exited
with 0, as if all were well. The bug is planted the way a bug lives: a method of the
app raises (here the library's, right after the corpus is loaded).
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time

PLANT = """
import sys
from speechreader.tui.screens.library import LibraryScreen

def broken(self, counts=None):
    raise RuntimeError("a planted bug")

LibraryScreen._loaded = broken
from speechreader.cli import main
main(["open", sys.argv[1], "--db", sys.argv[2]])
"""


def _run_in_a_terminal(args: list[str], env: dict[str, str], limit: float = 120) -> tuple[int, str]:
    """Run ``args`` with a pseudo-terminal as its stdin/stdout/stderr; its status and output."""
    main, child = pty.openpty()
    os.set_blocking(main, False)
    process = subprocess.Popen(
        args, stdin=child, stdout=child, stderr=child, env=env, close_fds=True
    )
    os.close(child)
    output = bytearray()
    deadline = time.monotonic() + limit
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([main], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(main, 65536)
                except OSError:  # the child closed the terminal: it has ended
                    break
                if not chunk:
                    break
                output += chunk
            elif process.poll() is not None:
                break
        code = process.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if process.poll() is None:
            process.kill()
        os.close(main)
    return code, output.decode("utf-8", "replace")


def test_a_crash_exits_1_and_says_where_its_traceback_is(sample_corpus, tmp_path, isolated_dirs):
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    code, output = _run_in_a_terminal(
        [sys.executable, "-c", PLANT, str(sample_corpus), str(tmp_path / "db.srdb")], env
    )
    assert code == 1, output[-2000:]
    reports = list((isolated_dirs / "state" / "log").glob("crash-*.log"))
    assert len(reports) == 1, output[-2000:]
    report = reports[0].read_text(encoding="utf-8")
    assert "RuntimeError: a planted bug" in report and "in broken" in report
    flat = " ".join(output.split())
    assert "speechreader stopped on an unexpected error (RuntimeError: a planted bug)" in flat
    assert f"The traceback is in {reports[0]}" in flat
    assert "Traceback (most recent call last)" not in output  # in the report, not the terminal
