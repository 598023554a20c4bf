"""Hostile or broken .qdpx files: one clear line, and nothing changed, not even a folder."""

from __future__ import annotations

import struct
import zipfile

import pytest

from speechreader.core.errors import InvalidInput
from speechreader.core.exchange import _safe_zip, import_qdpx

from . import refi_fixtures as fx
from .refi_helpers import make_qdpx

GOOD_TEXT = {"Sources/01106019-2B0F-4A7E-9A92-5E8AA6E24D8B.txt": fx.MAXQDA_TEXT}

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE Project [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol4;" />
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE Project [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<Project xmlns="urn:QDA-XML:project:1.0" name="x">
 <Sources><TextSource guid="00000000-0000-4000-8000-000000000001" name="leak">
  <PlainTextContent>&secret;</PlainTextContent></TextSource></Sources>
</Project>
"""


def _patch_declared_size(path, size: int) -> None:
    """Make the central directory claim ``size`` bytes for the first entry (a lying bomb)."""
    data = bytearray(path.read_bytes())
    at = data.index(b"PK\x01\x02")
    data[at + 24 : at + 28] = struct.pack("<I", size)
    path.write_bytes(bytes(data))


def _bomb_declared(path):
    make_qdpx(path, {"project.qde": fx.MAXQDA_QDE, **GOOD_TEXT})
    _patch_declared_size(path, 0xF000_0000)  # ~4 GB, over the 2 GB cap
    return path


def _raw(data: bytes):
    def build(path):
        path.write_bytes(data)
        return path

    return build


CASES = {
    "not a zip": (_raw(b"just some text, not a zip"), "not a zip archive"),
    "a truncated zip": (_raw(b"PK\x03\x04 not really a zip"), "not a zip archive"),
    "a zip bomb (declared size)": (_bomb_declared, "unpacks to more than 2 GB"),
    "a name with ..": (
        lambda p: make_qdpx(p, {"project.qde": fx.MAXQDA_QDE, "Sources/../../evil.txt": "x"}),
        "a path leading out of the archive",
    ),
    "an absolute name": (
        lambda p: make_qdpx(p, {"project.qde": fx.MAXQDA_QDE, "/etc/evil.txt": "x"}),
        "an absolute path",
    ),
    "a drive letter": (
        lambda p: make_qdpx(p, {"project.qde": fx.MAXQDA_QDE, "C:/evil.txt": "x"}),
        "an absolute path",
    ),
    "a symbolic link": (
        lambda p: make_qdpx(
            p, {"project.qde": fx.MAXQDA_QDE}, symlinks={"Sources/link.txt": "/etc/passwd"}
        ),
        "a symbolic link",
    ),
    "entity expansion": (
        lambda p: make_qdpx(p, {"project.qde": BILLION_LAUGHS}),
        "declares XML entities",
    ),
    "an external entity": (
        lambda p: make_qdpx(p, {"project.qde": EXTERNAL_ENTITY}),
        "declares XML entities",
    ),
    "no project.qde": (
        lambda p: make_qdpx(p, {"readme.txt": "nothing to see", **GOOD_TEXT}),
        "no project.qde inside",
    ),
    "malformed XML": (
        lambda p: make_qdpx(p, {"project.qde": fx.MAXQDA_QDE[:-40], **GOOD_TEXT}),
        "is not well-formed XML",
    ),
    "not a project": (
        lambda p: make_qdpx(p, {"project.qde": '<?xml version="1.0"?><NotAProject/>'}),
        "is not a REFI-QDA project",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_input_gets_one_line_and_changes_nothing(case, tmp_path):
    build, message = CASES[case]
    bad = build(tmp_path / "bad.qdpx")
    folder, db = tmp_path / "study", tmp_path / "study.srdb"
    with pytest.raises(InvalidInput) as caught:
        import_qdpx(bad, folder, db)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.qdpx"]  # no folder, no db


def test_a_zip_bomb_is_stopped_by_what_it_unpacks_too(tmp_path, monkeypatch):
    """Headers that tell the truth about 30 MB of zeros (30 KB packed), under a 10 MB cap."""
    monkeypatch.setattr(_safe_zip, "MAX_UNPACKED_BYTES", 10 * 1024**2)
    bomb = make_qdpx(tmp_path / "bomb.qdpx", {"project.qde": b"\0" * (30 * 1024**2)})
    assert bomb.stat().st_size < 100_000
    with pytest.raises(InvalidInput, match="unpacks to more than 10 MB"):
        import_qdpx(bomb, tmp_path / "study", tmp_path / "study.srdb")
    assert not (tmp_path / "study").exists()


def test_headers_that_understate_the_size_are_caught_while_reading(tmp_path, monkeypatch):
    """Only the declared size is unpacked, so the lie shows as a damaged entry."""
    monkeypatch.setattr(_safe_zip, "MAX_UNPACKED_BYTES", 10 * 1024**2)
    path = make_qdpx(tmp_path / "liar.qdpx", {"project.qde": b"\0" * (30 * 1024**2)})
    _patch_declared_size(path, 100)
    with pytest.raises(InvalidInput) as caught:
        import_qdpx(path, tmp_path / "study", tmp_path / "study.srdb")
    assert str(caught.value) == (
        "liar.qdpx: entry 'project.qde' is damaged (Bad CRC-32 for file 'project.qde')"
    )
    assert not (tmp_path / "study").exists()


def test_an_entity_is_never_expanded_into_the_corpus(tmp_path):
    bad = make_qdpx(tmp_path / "x.qdpx", {"project.qde": EXTERNAL_ENTITY})
    with pytest.raises(
        InvalidInput, match=r"project\.qde declares XML entities, which are not accepted"
    ):
        import_qdpx(bad, tmp_path / "study", tmp_path / "study.srdb")
    assert not any("root:" in p.read_text(errors="ignore") for p in tmp_path.rglob("*.txt"))


def test_a_failure_after_the_folder_was_made_removes_it(tmp_path, monkeypatch):
    """The database step failing (here: a locked or broken store) leaves no half-made DIR."""
    from speechreader.core.exchange import _qdpx_import

    def broken(*args, **kwargs):
        raise InvalidInput("the database is broken")

    monkeypatch.setattr(_qdpx_import, "_fill", broken)
    good = fx.maxqda(tmp_path / "good.qdpx")
    with pytest.raises(InvalidInput, match="broken"):
        import_qdpx(good, tmp_path / "study", tmp_path / "study.srdb")
    assert not (tmp_path / "study").exists()
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".study")] == []


def test_a_zip_with_many_entries_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(_safe_zip, "MAX_ENTRIES", 3)
    path = tmp_path / "many.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        for i in range(5):
            zf.writestr(f"Sources/{i}.txt", "x")
    with pytest.raises(InvalidInput, match="too many entries"):
        import_qdpx(path, tmp_path / "study", tmp_path / "study.srdb")
