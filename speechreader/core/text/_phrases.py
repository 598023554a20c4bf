"""Phrase overrides for OpenCC, and the OpenCC config files that carry them.

OpenCC misreads some everyday political phrases because a two-character entry of its
phrase dictionary swallows the first character of the next word: 好干部 becomes
好乾部 (好干 "well dried"), 新征程 becomes 新徵程. We ship a small table of fixes
(``data/phrases.tsv``) and users can add theirs (``phrases.tsv`` in the config folder,
same format: ``simplified<TAB>traditional<TAB>note``). A malformed line is reported
in :attr:`PhraseTable.problems` and skipped, never fatal.

OpenCC's Python binding cannot take extra phrases at run time, and a phrase only takes
effect if it is in *both* the segmentation dictionary and the conversion chain
(otherwise the segmenter has already cut 好干|部 before the conversion sees it). So
we write our own config files: copies of the shipped configs with their dictionary
paths made absolute, plus our phrases as an OpenCC ``text`` dictionary, put into the
segmentation dictionary (a ``union`` group) and in front of OpenCC's phrase
dictionaries in the stage that holds them (``STPhrases``/``TSPhrases``). Configs
without a segmentation section (s2t, t2s) segment with that stage's dictionaries,
so there the conversion stage is enough (each entry is tested in every variant). They live in
``cache_dir()/opencc/<hash>/``, the hash covering the phrases, the OpenCC version and
where its dictionaries are, so a change to any of them builds a fresh set.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import opencc

from speechreader.core.fileio import atomic_write_text
from speechreader.core.paths import cache_dir
from speechreader.core.text._data import (
    LineProblem,
    read_user_entries,
    reloaded_on_change,
    shipped_entries,
    user_file,
)

PHRASES_FILE = "phrases.tsv"
#: bump when the generated config layout changes, so old caches are not reused
CONFIG_FORMAT = 2
OPENCC_SHARE_DIR = Path(opencc.__file__).resolve().parent / "clib" / "share" / "opencc"
#: dictionaries that hold OpenCC's simplified<->traditional phrases: ours go before them
_PHRASE_DICTS = {"STPhrases.ocd2", "TSPhrases.ocd2"}


@dataclass(frozen=True)
class Phrase:
    """One override: ``simplified`` is always converted to ``traditional`` and back."""

    simplified: str
    traditional: str
    note: str = ""
    source: str = ""  # "shipped" or "<path>:<line>"


@dataclass(frozen=True)
class PhraseTable:
    """The phrases in effect (shipped, then the user's) and the lines we skipped."""

    phrases: tuple[Phrase, ...]
    problems: tuple[LineProblem, ...] = ()

    @functools.cached_property
    def digest(self) -> str:
        """Hash of what changes conversion (not the notes): names the config folder."""
        h = hashlib.sha256()
        for p in self.phrases:
            h.update(f"{p.simplified}\t{p.traditional}\n".encode())
        return h.hexdigest()

    def forward(self) -> dict[str, str]:
        """simplified -> traditional."""
        return {p.simplified: p.traditional for p in self.phrases}


def parse_phrases(text: str, source: str) -> tuple[list[Phrase], list[LineProblem]]:
    """Parse a phrase file. Blank lines and lines starting with ``#`` are ignored.

    Both sides must have the same length: the panes of character-level variants map
    position to position, and a length-changing override would break that.
    """
    phrases: list[Phrase] = []
    problems: list[LineProblem] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.lstrip("\ufeff").rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 2:
            problems.append(
                LineProblem(source, number, "expected simplified<TAB>traditional<TAB>note")
            )
            continue
        simplified, traditional = fields[0].strip(), fields[1].strip()
        note = "\t".join(fields[2:]).strip()
        message = _check_pair(simplified, traditional)
        if message is None and simplified in seen:
            message = f"{simplified} is already on line {seen[simplified]}"
        if message is not None:
            problems.append(LineProblem(source, number, message))
            continue
        seen[simplified] = number
        phrases.append(Phrase(simplified, traditional, note, f"{source}:{number}"))
    return phrases, problems


def _check_pair(simplified: str, traditional: str) -> str | None:
    if not simplified or not traditional:
        return "empty simplified or traditional side"
    if any(ch.isspace() for ch in simplified + traditional):
        return "a phrase cannot contain spaces"
    if len(simplified) != len(traditional):
        return (
            f"{simplified} and {traditional} differ in length "
            f"({len(simplified)} vs {len(traditional)}); both sides must be equally long"
        )
    return None


@functools.cache
def shipped_phrases() -> tuple[Phrase, ...]:
    """The overrides that come with speechreader (``core/text/_data/phrases.tsv``)."""
    return shipped_entries(PHRASES_FILE, parse_phrases)


def user_phrases_path() -> Path:
    return user_file(PHRASES_FILE)


@reloaded_on_change(PHRASES_FILE)
def load_phrases(key: tuple) -> PhraseTable:
    """Shipped phrases plus the user's (a user entry replaces a shipped one with its key).

    Cached on the user file's path, size and modification time: cheap to call before
    every conversion, and an edited file takes effect without restarting.
    """
    merged = {p.simplified: p for p in shipped_phrases()}
    user, problems = read_user_entries(key, parse_phrases)
    merged.update((p.simplified, p) for p in user)
    return PhraseTable(tuple(merged.values()), tuple(problems))


# --- OpenCC config files -------------------------------------------------------------


def _read_shipped_config(name: str) -> dict:
    return json.loads((OPENCC_SHARE_DIR / f"{name}.json").read_text(encoding="utf-8"))


def _absolute(node):
    """Copy of a config node with every dictionary ``file`` made an absolute path."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "file" and isinstance(value, str) and not os.path.isabs(value):
                out[key] = str(OPENCC_SHARE_DIR / value)
            else:
                out[key] = _absolute(value)
        return out
    if isinstance(node, list):
        return [_absolute(v) for v in node]
    return node


def _files(node) -> list[str]:
    if isinstance(node, dict):
        found = [os.path.basename(node["file"])] if "file" in node else []
        for value in node.values():
            if isinstance(value, dict | list):
                found += _files(value)
        return found
    if isinstance(node, list):
        return [f for v in node for f in _files(v)]
    return []


def _is_to_simplified(cfg: dict) -> bool:
    return "TSPhrases.ocd2" in _files(cfg.get("conversion_chain", []))


def patched_config(name: str, dict_path: Path) -> dict | None:
    """The shipped config ``name`` with our text dictionary wired in, or ``None`` if
    the config has no simplified<->traditional phrase stage to override."""
    cfg = _absolute(_read_shipped_config(name))
    ours = {"type": "text", "file": str(dict_path)}
    stage_group = None
    for stage in cfg.get("conversion_chain", []):
        if _PHRASE_DICTS & set(_files(stage)):
            if stage["dict"].get("type") != "group":
                wrapped = {"type": "group", "match_policy": "short_circuit"}
                stage["dict"] = wrapped | {"dicts": [stage["dict"]]}
            stage_group = stage["dict"]
            break
    if stage_group is None:
        return None
    stage_group["dicts"] = [ours, *stage_group["dicts"]]
    if "segmentation" in cfg:
        cfg["segmentation"]["dict"] = {
            "type": "group",
            "match_policy": "union",
            "dicts": [ours, cfg["segmentation"]["dict"]],
        }
    # else: (s2t, t2s) OpenCC segments with the conversion stage's own dictionaries, so
    # ours is in both already. An explicit segmentation gives the same output but costs
    # 40 % of the throughput (measured: 0.55x of plain OpenCC instead of 0.85x).
    cfg["name"] = f"{cfg.get('name', name)} + speechreader phrase overrides"
    return cfg


def _reverse_entries(table: PhraseTable) -> dict[str, str]:
    """traditional -> simplified, keyed by the OpenCC-standard form and by the Taiwan
    and Hong Kong forms (the segmenter sees the text before their variants are undone)."""
    out: dict[str, str] = {}
    regional = [opencc.OpenCC(c, include_tofu_risk_dictionaries=False) for c in ("t2tw", "t2hk")]
    for p in table.phrases:
        out.setdefault(p.traditional, p.simplified)
        for conv in regional:
            form = conv.convert(p.traditional)
            if len(form) == len(p.traditional):
                out.setdefault(form, p.simplified)
    return out


def _text_dict(entries: dict[str, str]) -> str:
    return "".join(f"{k}\t{v}\n" for k, v in sorted(entries.items()))


def config_folder(table: PhraseTable) -> Path:
    """Where the config files for ``table`` live (not necessarily written yet)."""
    h = hashlib.sha256(
        f"{table.digest}\0{opencc.__version__}\0{OPENCC_SHARE_DIR}\0{CONFIG_FORMAT}".encode()
    ).hexdigest()[:20]
    return cache_dir() / "opencc" / h


_write_lock = threading.Lock()


def ensure_config(name: str, table: PhraseTable, *, rewrite: bool = False) -> Path | None:
    """Path of our config file for OpenCC config ``name`` (written on first use, or
    again with ``rewrite``), or ``None`` if there is nothing to override (no phrases,
    or no phrase stage in that config)."""
    if not table.phrases:
        return None
    with _write_lock:
        try:
            return _write_config(config_folder(table), name, table, rewrite)
        except OSError:
            # An unwritable cache folder must not cost the user their overrides.
            fallback = Path(tempfile.gettempdir()) / f"speechreader-{os.getpid()}-opencc"
            return _write_config(fallback / config_folder(table).name, name, table, rewrite)


def _write_config(folder: Path, name: str, table: PhraseTable, rewrite: bool) -> Path | None:
    target = folder / f"{name}.json"
    if target.is_file() and not rewrite:
        return target
    reverse = _is_to_simplified(_read_shipped_config(name))
    dict_path = folder / ("to-simplified.txt" if reverse else "to-traditional.txt")
    cfg = patched_config(name, dict_path)
    if cfg is None:
        return None
    if rewrite or not dict_path.is_file():
        entries = _reverse_entries(table) if reverse else table.forward()
        atomic_write_text(dict_path, _text_dict(entries), durable=False)
    atomic_write_text(target, json.dumps(cfg, ensure_ascii=False, indent=1), durable=False)
    return target
