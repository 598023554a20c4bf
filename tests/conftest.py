"""Test isolation: every test session gets its own cache, data and config folders.

Tests must never read or write the user's real speechreader folders, and must not
depend on a warm cache left by a previous run.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests assert behaviour, not speed: Hypothesis's per-example deadline (200 ms)
# is a wall-clock assertion that fails on a loaded machine, so it is off everywhere.
settings.register_profile(
    "speechreader", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("speechreader")

REPO = Path(__file__).resolve().parents[1]
SAMPLE_CORPUS = REPO / "sample_corpus"
#: ``../shared`` beside the checkout (a worktree sits one folder deeper)
SHARED = next(
    (p / "shared" for p in REPO.parents if (p / "shared" / "seed_corpus").is_dir()),
    REPO.parent / "shared",
)
SEED_CORPUS = SHARED / "seed_corpus"


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path_factory, monkeypatch):
    """Point every speechreader folder at a fresh temporary place for each test."""
    base = tmp_path_factory.mktemp("sr-home")
    for name in ("CACHE", "DATA", "CONFIG", "STATE"):
        folder = base / name.lower()
        folder.mkdir()
        monkeypatch.setenv(f"SPEECHREADER_{name}_DIR", str(folder))
    monkeypatch.delenv("SPEECHREADER_DB", raising=False)
    monkeypatch.setenv("SPEECHREADER_CODER", "tester")
    return base


@pytest.fixture
def sample_corpus(tmp_path) -> Path:
    """A private copy of the bundled sample corpus (tests may add files to it)."""
    target = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, target)
    for path in target.rglob("*"):
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    return target


@pytest.fixture
def sample_texts() -> dict[str, str]:
    """The sample speeches decoded as UTF-8 (they are UTF-8 on disk), keyed by file stem."""
    return {
        p.stem: p.read_text(encoding="utf-8").replace("\r\n", "\n")
        for p in sorted(SAMPLE_CORPUS.glob("*.txt"))
    }
