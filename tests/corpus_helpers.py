"""Shared helpers for the corpus and listing-cache tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from speechreader.core.corpus import _corpus, _files
from speechreader.core.text import _encoding as encoding

GUO = "2011-12-06_guo-shengkun_guangxi"
LI = "2018-06-07_li-jun_xichang"
LU = "2019-06-27_lu-xinshe_guangxi"
WANG = "2024-01-05_wang-ning_yunnan"
CADRES = "undated_three-level-cadres-conference"
SAMPLE_IDS = [GUO, LI, LU, WANG, CADRES]


def count_decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the names given to decode_bytes (our own function: counted, not replaced).

    Patched where it is used: the text part's own module (metadata.csv goes through
    ``read_text_file``) and the corpus modules that imported it by name.
    """
    calls: list[str] = []
    real = encoding.decode_bytes

    def counting(data: bytes, *, name: str = "<bytes>"):
        calls.append(name)
        return real(data, name=name)

    for module in (encoding, _files, _corpus):
        monkeypatch.setattr(module, "decode_bytes", counting)
    return calls


def put(root: Path, rel: str, text: str, codec: str = "utf-8", newline: str = "\n") -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.replace("\n", newline).encode(codec)
    if codec in ("utf-16-le", "utf-16-be"):
        data = ("\ufeff" + text.replace("\n", newline)).encode(codec)
    path.write_bytes(data)
    return path


def bump_mtime(path: Path) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
