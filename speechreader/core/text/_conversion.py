"""Simplified ↔ traditional conversion with OpenCC, phrase overrides and offset maps.

Converters are created with ``include_tofu_risk_dictionaries=False``: the binding's
default maps ~900 rare characters to forms terminal fonts cannot show.

Every conversion comes with an :class:`~speechreader.core.text.OffsetMap`. For the
character-level configs (s2t, t2s, s2tw, tw2s, s2hk, hk2s) it is the identity: a
character position is the same in both panes. The phrase-level configs (s2twp,
tw2sp) change length (全局→全域性) and are offered only as an explicit choice, with
an exact map built by aligning at punctuation.

A document's own script is shown as it is: the pane of its ``base_script`` is its
text, never a round trip through OpenCC (s2t would change 群→羣 in a traditional text).
"""

from __future__ import annotations

import functools
import operator
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import opencc

from speechreader.core.errors import InvalidInput
from speechreader.core.text._offsets import OffsetMap, align
from speechreader.core.text._phrases import ensure_config, load_phrases
from speechreader.core.text._zhe import ZHU, fold_zhe, fold_zhe_mapped

if TYPE_CHECKING:  # _script needs numpy: imported where a script is detected, not by
    # every command that converts (a search's query, ~0.1 s of start-up)
    from speechreader.core.text._script import ScriptSets


@dataclass(frozen=True)
class Variant:
    """A pair of OpenCC configs shown together: how to make each pane from the other script."""

    name: str
    label: str
    to_traditional: str  # OpenCC config for simplified → traditional
    to_simplified: str  # OpenCC config for traditional → simplified
    phrase_level: bool  # changes text length; needs an alignment map

    def config_to(self, script: str) -> str:
        return self.to_traditional if script == "traditional" else self.to_simplified


VARIANTS: dict[str, Variant] = {
    v.name: v
    for v in (
        Variant("standard", "OpenCC standard (s2t / t2s)", "s2t", "t2s", False),
        Variant("taiwan", "Taiwan (s2tw / tw2s)", "s2tw", "tw2s", False),
        Variant("hongkong", "Hong Kong (s2hk / hk2s)", "s2hk", "hk2s", False),
        Variant("taiwan-phrases", "Taiwan phrases (s2twp / tw2sp)", "s2twp", "tw2sp", True),
    )
}
DEFAULT_VARIANT = "standard"
_ALIASES = {
    "s2t": "standard", "t2s": "standard", "mainland": "standard", "std": "standard",
    "s2tw": "taiwan", "tw2s": "taiwan", "tw": "taiwan",
    "s2hk": "hongkong", "hk2s": "hongkong", "hk": "hongkong",
    "s2twp": "taiwan-phrases", "tw2sp": "taiwan-phrases", "twp": "taiwan-phrases",
}  # fmt: skip


def get_variant(name: str | None) -> Variant:
    """The variant called ``name`` (or one of its aliases such as ``s2tw`` or ``tw``)."""
    key = (name or DEFAULT_VARIANT).strip().lower()
    key = _ALIASES.get(key, key)
    try:
        return VARIANTS[key]
    except KeyError:
        choices = ", ".join(VARIANTS)
        raise InvalidInput(f"unknown variant {name!r}; choose one of: {choices}") from None


@functools.cache
def plain_opencc(config: str) -> opencc.OpenCC:
    """OpenCC's own converter for ``config``, without our overrides (cached, thread-safe)."""
    return opencc.OpenCC(config, include_tofu_risk_dictionaries=False)


_last_plain: dict[str, tuple[str, str]] = {}  # config -> (text, its conversion)


def plain_convert(text: str, config: str) -> str:
    """OpenCC's own conversion of ``text``; the last one per config is kept, so that
    script detection and the residue detector, run one after the other on a document's
    text when a corpus is first listed, convert it once."""
    hit = _last_plain.get(config)
    if hit is not None and hit[0] is text:
        return hit[1]
    out = plain_opencc(config).convert(text)
    _last_plain[config] = (text, out)
    return out


@dataclass(frozen=True)
class Converted:
    """Converted text and the map between source and converted offsets."""

    text: str
    map: OffsetMap


#: every config a variant uses; other OpenCC configs (t2tw, jp2t ...) are plain OpenCC
VARIANT_CONFIGS = frozenset(
    c for v in VARIANTS.values() for c in (v.to_traditional, v.to_simplified)
)
PHRASE_LEVEL_CONFIGS = frozenset(
    c for v in VARIANTS.values() if v.phrase_level for c in (v.to_traditional, v.to_simplified)
)
_SHIPPED_CONFIGS = frozenset(name.removesuffix(".json") for name in opencc.CONFIGS)

_lock = threading.Lock()
_converters: dict[tuple[str, str], opencc.OpenCC] = {}
_char_memos: dict[tuple[str, str], dict[str, str]] = {}
_mapped: OrderedDict[tuple[str, str, str], Converted] = OrderedDict()
_MAPPED_KEEP = 8  # a reader has two panes open; a few documents back and forth


def _check_config(config: str) -> None:
    if config not in _SHIPPED_CONFIGS:
        choices = ", ".join(sorted(VARIANT_CONFIGS))
        raise InvalidInput(f"unknown OpenCC config {config!r}; speechreader uses: {choices}")


def converter(config: str) -> opencc.OpenCC:
    """OpenCC converter for ``config`` with the phrase overrides in effect (cached per
    config and phrase table; safe to call from several threads)."""
    table = load_phrases()
    key = (config, table.digest)
    conv = _converters.get(key)
    if conv is not None:
        return conv
    _check_config(config)
    with _lock:
        conv = _converters.get(key)
        if conv is None:
            path = ensure_config(config, table)
            if path is None:
                conv = plain_opencc(config)
            else:
                try:
                    conv = opencc.OpenCC(str(path), include_tofu_risk_dictionaries=False)
                except Exception:  # a damaged cache file: caches may be deleted or mangled
                    path = ensure_config(config, table, rewrite=True)
                    conv = opencc.OpenCC(str(path), include_tofu_risk_dictionaries=False)
            _converters[key] = conv
            _char_memos[key] = {}
    return conv


def convert(text: str, config: str) -> str:
    """Convert ``text`` with an OpenCC config plus speechreader's phrase overrides."""
    return converter(config).convert(text)


def _char_converter(config: str) -> Callable[[str], str]:
    """Single-character conversion, memoised: the aligner asks about the same few
    thousand characters over and over."""
    conv = converter(config)
    memo = _char_memos.setdefault((config, load_phrases().digest), {})

    def one(ch: str) -> str:
        out = memo.get(ch)
        if out is None:
            out = memo[ch] = conv.convert(ch)
        return out

    return one


def convert_mapped(text: str, config: str) -> Converted:
    """Convert and return the offset map (identity for character-level configs).

    Character-level configs never change length (checked: no OpenCC entry does, nor
    may an override), so their map is the identity; should an OpenCC update bring a
    length-changing entry, the aligned map takes over. The last few results are kept,
    since the reader asks again when it switches panes or variants.
    """
    conv = converter(config)
    key = (config, load_phrases().digest, text)
    with _lock:
        hit = _mapped.get(key)
        if hit is not None:
            _mapped.move_to_end(key)
            return hit
    out = conv.convert(text)
    if len(out) == len(text) and config not in PHRASE_LEVEL_CONFIGS:
        result = Converted(out, OffsetMap.identity(len(text)))
    else:
        result = Converted(out, align(text, out, conv.convert, _char_converter(config)))
    with _lock:
        _mapped[key] = result
        while len(_mapped) > _MAPPED_KEEP:
            _mapped.popitem(last=False)
    return result


def to_simplified(text: str, variant: str = DEFAULT_VARIANT) -> str:
    return convert(text, get_variant(variant).to_simplified)


def to_traditional(text: str, variant: str = DEFAULT_VARIANT) -> str:
    return convert(text, get_variant(variant).to_traditional)


@dataclass(frozen=True)
class PaneTexts:
    """The two panes of the reader for one document and variant.

    ``original`` names the pane that shows the document's own text unchanged.
    """

    simplified: Converted
    traditional: Converted
    original: str  # "simplified" | "traditional"

    def pane(self, script: str) -> Converted:
        return self.simplified if script == "simplified" else self.traditional


def pane_texts(text: str, base_script: str, variant: str = DEFAULT_VARIANT) -> PaneTexts:
    """Both panes for a document whose original script is ``base_script``.

    The original pane is ``text`` itself with the identity map: converting it to its
    own script would still change it (s2t turns 群 into 羣 in a traditional text).
    Each pane's map goes from ``text`` to that pane.
    """
    if base_script not in ("simplified", "traditional"):
        raise InvalidInput(f"base script must be simplified or traditional, not {base_script!r}")
    own = Converted(text, OffsetMap.identity(len(text)))
    other = other_pane(text, base_script, variant)
    if base_script == "simplified":
        return PaneTexts(own, other, "simplified")
    return PaneTexts(other, own, "traditional")


def other_pane(text: str, base_script: str, variant: str = DEFAULT_VARIANT) -> Converted:
    """The pane of a text (a document or a piece of one) that is not in its own script:
    the variant's conversion, and for a traditional text 著 read as tw2s reads it
    (隨著 → 随着, see ``_zhe``). Exports use it to give a passage as the reader shows it.
    """
    v = get_variant(variant)
    if base_script == "simplified":
        return convert_mapped(text, v.to_traditional)
    return _with_zhe_folded(text, convert_mapped(text, v.to_simplified))


def _with_zhe_folded(text: str, converted: Converted) -> Converted:
    """The simplified conversion of a traditional text with 著 read as tw2s reads it."""
    if ZHU not in text:
        return converted
    if len(converted.text) == len(text) and converted.map.is_identity:
        folded = fold_zhe(text, converted.text)
    else:
        folded = fold_zhe_mapped(text, converted.text, converted.map.to_dst)
    return converted if folded == converted.text else Converted(folded, converted.map)


def reads_traditional(text: str, base_script: str | None = None) -> bool:
    """Whether ``text`` is read as a traditional document (its 著 folded, see ``_zhe``).

    ``base_script`` is the document's own (from the corpus listing); ``None`` detects
    it, which costs OpenCC passes only for a text that has a 著 at all (the only case
    where the answer matters).
    """
    if base_script is not None:
        return base_script == "traditional"
    return ZHU in text and detect_script(text).base == "traditional"


def simplified_form(text: str, base_script: str | None = None, config: str = "t2s") -> str:
    """``text`` in simplified script, one character for one: OpenCC ``config`` with the
    phrase overrides, and for a traditional document 著 read as tw2s reads it.

    What segmentation works on, and what the search form starts from. ``base_script``
    as in :func:`reads_traditional`.
    """
    out = convert(text, config)
    if len(out) == len(text) and reads_traditional(text, base_script):
        out = fold_zhe(text, out)
    return out


# --- script detection -------------------------------------------------------------


@dataclass(frozen=True)
class ScriptInfo:
    script: str  # "simplified" | "traditional" | "mixed"
    base: str  # majority script: "simplified" | "traditional"
    #: characters every traditional standard would change: exact near a threshold,
    #: elsewhere a lower bound that decides the script as well (see :mod:`_script`)
    simplified_chars: int
    traditional_chars: int  # characters t2s would change


def detect_script(text: str) -> ScriptInfo:
    """Classify ``text`` by what OpenCC would change in it.

    A character counts as simplified only if s2t, s2tw *and* s2hk all change it: that
    leaves out variant preferences such as 群→羣 or 裡→裏, which s2t makes even in
    traditional text. A character counts as traditional if t2s changes it. A document
    is ``mixed`` when the minority script is more than 1 % of the majority (and at
    least 3 characters), e.g. 干 and 于 left in a traditional text.

    One OpenCC pass (t2s) and two set lookups decide almost every text; see
    :mod:`_script` for why the result is the same as converting with all four.
    """
    from speechreader.core.text._script import (
        classify,
        code_points,
        count_differing,
        refined_bounds,
        simplified_bounds,
    )

    to_t2s = plain_convert(text, "t2s")
    if len(to_t2s) == len(text):
        traditional = count_differing(text, to_t2s)
    else:
        traditional = sum(map(operator.ne, text, to_t2s))
    tables = script_sets()
    if tables is None:  # sets made for another OpenCC: count with the conversions
        return detect_script_by_passes(text, to_t2s, traditional)
    codes = code_points(text)
    low, high = simplified_bounds(codes, tables)
    if traditional == 0:
        # No traditional evidence: simplified (or neutral), never mixed.
        return ScriptInfo("simplified", "simplified", low, 0)
    script, base = classify(low, traditional)
    if (script, base) == classify(high, traditional):
        return ScriptInfo(script, base, low, traditional)
    low, high, undecided = refined_bounds(codes, tables, low)  # near a threshold
    script, base = classify(low, traditional)
    if (script, base) == classify(high, traditional):
        return ScriptInfo(script, base, low, traditional)
    simplified = exact_simplified(text, undecided.tolist(), low, _plain)
    script, base = classify(simplified, traditional)
    return ScriptInfo(script, base, simplified, traditional)


def exact_simplified(text: str, positions: list[int], low: int, convert: Callable) -> int:
    """:func:`_script.exact_simplified`, imported when first needed (numpy)."""
    from speechreader.core.text._script import exact_simplified as exact

    return exact(text, positions, low, convert)


def _plain(text: str, config: str) -> str:
    return plain_opencc(config).convert(text)


def script_sets() -> ScriptSets | None:
    """The precomputed character sets for this OpenCC (None: made for another)."""
    from speechreader.core.text._script import script_tables

    return script_tables(str(getattr(opencc, "__version__", "")))


def detect_script_by_passes(text: str, to_t2s: str, traditional: int) -> ScriptInfo:
    """The exact count: s2t, s2tw and s2hk over the whole text, compared position by
    position (what :func:`detect_script` did for every text before the sets)."""
    from speechreader.core.text._script import classify

    n = len(text)
    s2t = plain_opencc("s2t").convert(text)
    if traditional == 0:
        simplified = sum(map(operator.ne, text, s2t)) if len(s2t) == n else n
        return ScriptInfo("simplified", "simplified", simplified, 0)
    s2tw, s2hk = (plain_opencc(c).convert(text) for c in ("s2tw", "s2hk"))
    if len(s2t) == n and len(s2tw) == n and len(s2hk) == n:
        changed_by_all = map(
            operator.and_,
            map(operator.and_, map(operator.ne, text, s2t), map(operator.ne, text, s2tw)),
            map(operator.ne, text, s2hk),
        )
        simplified = sum(changed_by_all)
    else:  # a length-changing entry somewhere: fall back to per-character counting
        simplified = sum(
            1
            for ch in text
            if all(plain_opencc(c).convert(ch) != ch for c in ("s2t", "s2tw", "s2hk"))
        )
    script, base = classify(simplified, traditional)
    return ScriptInfo(script, base, simplified, traditional)
