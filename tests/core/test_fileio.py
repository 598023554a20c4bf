"""Atomic writes: the mode the umask asks for, and the calls that make a write durable."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

import pytest

from speechreader.core import fileio
from speechreader.core.corpus import Corpus
from speechreader.core.exchange import export_csv
from speechreader.core.store import Store

XICHANG = "2018-06-07_li-jun_xichang"


@pytest.fixture(params=[0o002, 0o077])
def umask(request):
    old = os.umask(request.param)
    fileio.current_umask.cache_clear()
    try:
        yield request.param
    finally:
        os.umask(old)
        fileio.current_umask.cache_clear()


def modes(folder: Path) -> dict[str, int]:
    return {
        str(p.relative_to(folder)): stat.S_IMODE(p.stat().st_mode)
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_the_umask_is_read_as_set(umask):
    assert fileio.current_umask() == umask


def test_database_files_exports_and_caches_follow_the_umask(umask, sample_corpus, tmp_path):
    expected = 0o666 & ~umask  # what open() gives a new file: 0664 for 002, 0600 for 077
    corpus = Corpus.load(sample_corpus)  # writes the listing cache
    db = tmp_path / "db"
    with Store(db, coder="amy") as store:
        text = corpus.text(XICHANG)
        first = store.add(XICHANG, 0, 4, text=text, doc_hash="h", tags=["经济"])
        store.update(first.id, note="a second write, which takes a backup first")
    out = tmp_path / "out" / "export.csv"
    export_csv(Store(db, readonly=True), corpus, out)
    written = modes(db)
    for name in (
        "speechreader-db.json",
        "codebook.json",
        ".gitignore",
        f"annotations/amy/{XICHANG}.json",
        "local/lock",
    ):
        assert written.pop(name) == expected, name
    assert any(name.startswith("local/backups/") for name in written)
    assert set(written.values()) == {expected}  # backups, history, summary: all of them
    assert stat.S_IMODE(out.stat().st_mode) == expected
    cache = Path(os.environ["SPEECHREADER_CACHE_DIR"])
    cached = modes(cache)
    assert cached and set(cached.values()) == {expected}


# --- durability: the order of the calls ---------------------------------------------


@dataclass
class Call:
    what: str  # "fsync" or "replace"
    inode: int
    kind: str  # fsync: "file" or "folder"; replace: the target's name
    size: int = 0  # fsync of a file: its size then (the data was written before it)


@pytest.fixture
def calls(monkeypatch) -> list[Call]:
    """``os.fsync`` and ``os.replace`` wrapped: the real ones run, and each call is logged."""
    log: list[Call] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        st = os.fstat(fd)
        kind = "folder" if stat.S_ISDIR(st.st_mode) else "file"
        log.append(Call("fsync", st.st_ino, kind, st.st_size if kind == "file" else 0))
        real_fsync(fd)

    def replace(src, dst, **kwargs) -> None:
        log.append(Call("replace", os.stat(src).st_ino, Path(dst).name))
        real_replace(src, dst, **kwargs)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    return log


def test_an_atomic_write_fsyncs_the_written_temp_file_renames_it_then_fsyncs_the_folder(
    tmp_path, calls
):
    target = tmp_path / "work.json"
    target.write_bytes(b"old")
    fileio.atomic_write_bytes(target, "新的内容".encode())
    file, folder = target.stat().st_ino, tmp_path.stat().st_ino
    assert calls == [
        Call("fsync", file, "file", 12),  # the temp file, all 12 bytes in it
        Call("replace", file, "work.json"),  # that same file renamed over the target
        Call("fsync", folder, "folder"),  # and the rename made durable
    ]
    assert target.read_bytes() == "新的内容".encode()


def test_a_streamed_atomic_write_does_the_same(tmp_path, calls):
    target = tmp_path / "export.csv"
    with fileio.atomic_writer(target, "w", encoding="utf-8") as handle:
        handle.write("a,b\n")
        handle.write("1,2\n")
    file, folder = target.stat().st_ino, tmp_path.stat().st_ino
    assert calls == [
        Call("fsync", file, "file", 8),
        Call("replace", file, "export.csv"),
        Call("fsync", folder, "folder"),
    ]


def test_a_store_change_fsyncs_each_data_file_before_its_rename_and_its_folder_after(
    tmp_path, calls
):
    db = tmp_path / "db"
    with Store(db, coder="amy") as store:
        first = store.add(XICHANG, 0, 4, text="我们要发展经济", doc_hash="h")
        calls.clear()  # the first write also made the folders, manifest and a backup
        store.update(first.id, note="第二次")
    data = db / "annotations" / "amy" / f"{XICHANG}.json"
    file, folder = data.stat().st_ino, data.parent.stat().st_ino
    assert Call("fsync", file, "file", data.stat().st_size) in calls
    synced = calls.index(Call("fsync", file, "file", data.stat().st_size))
    renamed = calls.index(Call("replace", file, data.name))
    folder_synced = calls.index(Call("fsync", folder, "folder"))
    assert synced < renamed < folder_synced
