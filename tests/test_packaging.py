"""A plain (non-editable) install must carry everything: code, styles, data, the sample corpus.

The tests run against an editable install, which reads the source tree and so hides a
file missing from the wheel; this builds the real wheel and looks inside.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _project_files() -> list[str]:
    """The files a clean clone has (tracked, plus new ones not ignored), relative to the repo."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=REPO, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return [line for line in listed.stdout.splitlines() if (REPO / line).is_file()]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    # Build from a clean copy: a stale build/ folder in a working tree (left by an
    # earlier build) can put files in the wheel that a fresh clone would not.
    source = tmp_path_factory.mktemp("source")
    for name in _project_files():
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target)
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    if result.returncode != 0:
        pytest.fail(f"building the wheel failed:\n{result.stdout}\n{result.stderr}")
    (built,) = out.glob("speechreader-*.whl")
    return zipfile.ZipFile(built)


def test_every_python_module_of_the_source_tree_is_in_the_wheel(wheel):
    names = set(wheel.namelist())
    for path in (REPO / "speechreader").rglob("*.py"):
        assert path.relative_to(REPO).as_posix() in names


def test_styles_and_data_files_are_in_the_wheel(wheel):
    names = set(wheel.namelist())
    for pattern in ("*.tcss", "*.tsv", "*.txt"):
        for path in (REPO / "speechreader").rglob(pattern):
            assert path.relative_to(REPO).as_posix() in names


def test_the_sample_corpus_is_installed_as_speechreader_sample_corpus(wheel):
    names = set(wheel.namelist())
    for path in (REPO / "sample_corpus").iterdir():
        if path.suffix in (".txt", ".csv"):
            assert f"speechreader/sample_corpus/{path.name}" in names


def test_a_plain_install_finds_its_sample_corpus(wheel, tmp_path):
    """What `speechreader` with no argument opens, from the installed files alone."""
    import platformdirs

    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
         wheel.filename],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    shutil.copytree(Path(platformdirs.__file__).parent, target / "platformdirs")
    code = (
        f"import sys; sys.path.insert(0, {str(target)!r})\n"
        "from speechreader.core.paths import sample_corpus_path\n"
        "print(sample_corpus_path())\n"
    )
    # -S: no site-packages, so the editable install of this checkout cannot answer instead
    result = subprocess.run(
        [sys.executable, "-S", "-c", code], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    folder = Path(result.stdout.strip())
    assert folder == target / "speechreader" / "sample_corpus"
    assert (folder / "metadata.csv").is_file()
