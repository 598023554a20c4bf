"""What the CLI tests share: the command run in-process, and a database folder."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from tests.cli_helpers import invoke


@pytest.fixture
def run(capsys):
    """Run the CLI in-process, as the console script does (exit codes included)."""
    return functools.partial(invoke, capsys)


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "study.srdb"
