"""Running the CLI in-process, as the console script does (exit codes included)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from speechreader.cli import main


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def json(self):
        return json.loads(self.out)


def invoke(capsys: pytest.CaptureFixture[str], *args: object) -> Result:
    """Run ``speechreader ARGS`` and return its exit code and captured output."""
    try:
        main([str(a) for a in args])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    captured = capsys.readouterr()
    # main() turns a bug into one line and a crash report; no test may pass over one
    assert "speechreader: internal error" not in captured.err, captured.err
    return Result(code, captured.out, captured.err)
