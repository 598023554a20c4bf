"""OffsetMap guarantees, property-tested on random maps and on real s2twp/tw2sp alignments."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from speechreader.core.text import OffsetMap, Piece, sentence_spans
from speechreader.core.text import _conversion as cv
from speechreader.core.text._offsets import SEPARATORS, align
from tests.conftest import SAMPLE_CORPUS

PROPERTY = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


# --- strategies ----------------------------------------------------------------------


@st.composite
def offset_maps(draw) -> OffsetMap:
    """Random maps: stretches kept 1:1 alternating with replaced phrases of any lengths."""
    pieces, s, d = [], 0, 0
    for _ in range(draw(st.integers(0, 8))):
        gap = draw(st.integers(0, 5))
        a, b = draw(st.integers(1, 4)), draw(st.integers(1, 4))
        s, d = s + gap, d + gap
        pieces.append(Piece(s, s + a, d, d + b))
        s, d = s + a, d + b
    tail = draw(st.integers(0, 5))
    return OffsetMap(s + tail, d + tail, pieces)


def _sample_sentences() -> list[str]:
    out = []
    for path in sorted(SAMPLE_CORPUS.glob("*.txt")):
        simplified = cv.plain_opencc("t2s").convert(path.read_text("utf-8"))
        out += [simplified[a:b] for a, b in sentence_spans(simplified) if b - a <= 60]
    return out


SENTENCES = _sample_sentences()
#: words s2twp rewrites (and what tw2sp turns back), plain characters and punctuation
WORDS = str.split("优化 全局 信息 软件 网络 数据 质量 打印机 视频 宏观 默认 服务器 程序 建立 创建")
TAIWAN = str.split(
    "最佳化 全域性 資訊 軟體 網路 資料 品質 印表機 影片 巨集觀 預設 伺服器 程式 建立"
)
CHARS = [*"我们要坚持发展的党干部群众工作新时代国家", *"，。、“”（） \n?,"]

simplified_texts = st.one_of(
    st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=4).map("".join),
    st.tuples(*(st.sampled_from(x) for x in (SENTENCES, WORDS, CHARS, WORDS, SENTENCES))).map(
        "".join
    ),
    st.lists(st.sampled_from(WORDS + CHARS), min_size=0, max_size=40).map("".join),
    st.lists(st.sampled_from(SENTENCES + WORDS + CHARS), max_size=12).map("".join),
)
traditional_texts = st.one_of(
    simplified_texts.map(cv.plain_opencc("s2tw").convert),
    st.lists(st.sampled_from(TAIWAN + CHARS), min_size=0, max_size=40).map("".join),
)


# --- the guarantees, checked on any map -----------------------------------------------


def _inside_piece(m: OffsetMap, o: int, side: str) -> Piece | None:
    for p in m.pieces:
        lo, hi = (p.src_start, p.src_end) if side == "src" else (p.dst_start, p.dst_end)
        if lo < o < hi:
            return p
    return None


def _derived(m: OffsetMap, i: int) -> tuple[int, int]:
    """The destination characters that source character ``i`` became."""
    for p in m.pieces:
        if p.src_start <= i < p.src_end:
            return p.dst_start, p.dst_end
    d = m.to_dst(i)
    return d, d + 1


def check_guarantees(m: OffsetMap, span: tuple[int, int] | None = None) -> None:
    assert (m.to_dst(0), m.to_dst(m.src_len)) == (0, m.dst_len)
    assert (m.to_src(0), m.to_src(m.dst_len)) == (0, m.src_len)
    forward = [m.to_dst(o) for o in range(m.src_len + 1)]
    backward = [m.to_src(o) for o in range(m.dst_len + 1)]
    assert forward == sorted(forward) and backward == sorted(backward)
    for o in range(m.src_len + 1):
        back = m.to_src(m.to_dst(o))
        piece = _inside_piece(m, o, "src")
        if piece is None:
            assert back == o  # exact at piece boundaries and in unchanged text
        else:
            assert piece.src_start <= back <= o  # within the replaced phrase
    if span is not None and m.src_len:
        a, b = sorted(x % (m.src_len + 1) for x in span)
        x, y = m.span_to_dst(a, b)
        derived = [_derived(m, i) for i in range(a, b)]
        if derived:  # covers everything derived, and nothing more
            assert (x, y) == (min(d[0] for d in derived), max(d[1] for d in derived))
        else:
            assert x == y == m.to_dst(a)


@PROPERTY
@given(offset_maps(), st.tuples(st.integers(0, 60), st.integers(0, 60)))
def test_random_maps_keep_every_guarantee(m, span):
    check_guarantees(m, span)


@PROPERTY
@given(offset_maps(), st.tuples(st.integers(0, 60), st.integers(0, 60)))
def test_span_to_src_covers_every_source_of_a_destination_span(m, span):
    if not m.dst_len:
        return
    a, b = sorted(x % (m.dst_len + 1) for x in span)
    x, y = m.span_to_src(a, b)
    for j in range(a, b):
        piece = next((p for p in m.pieces if p.dst_start <= j < p.dst_end), None)
        lo, hi = (piece.src_start, piece.src_end) if piece else (m.to_src(j), m.to_src(j) + 1)
        assert x <= lo and hi <= y


# --- real alignments -----------------------------------------------------------------


def check_alignment(text: str, config: str, span: tuple[int, int]) -> None:
    conv = cv.converter(config).convert
    result = cv.convert_mapped(text, config)
    m, dst = result.map, result.text
    assert dst == conv(text)
    event("has replaced phrases" if m.pieces else "no replaced phrase")
    check_guarantees(m, span)
    # The map is a faithful alignment: cut the text into its replaced phrases and the
    # single characters between them; converting each part on its own and joining
    # the results gives the converted text, each part where the map puts it.
    parts, i, pieces = [], 0, list(m.pieces)
    while i < len(text):
        if pieces and pieces[0].src_start == i:
            p = pieces.pop(0)
            parts.append((p.src_start, p.src_end, p.dst_start, p.dst_end))
            i = p.src_end
        else:
            parts.append((i, i + 1, m.to_dst(i), m.to_dst(i + 1)))
            i += 1
    assert "".join(conv(text[a:b]) for a, b, _, _ in parts) == dst
    assert all(dst[c:d] == conv(text[a:b]) for a, b, c, d in parts)
    # Punctuation and whitespace are true cuts of the whole text, mapped exactly.
    for i, ch in enumerate(text):
        if SEPARATORS.fullmatch(ch):
            for o in (i, i + 1):
                head = conv(text[:o])
                assert head + conv(text[o:]) == dst and m.to_dst(o) == len(head)


@PROPERTY
@given(simplified_texts, st.tuples(st.integers(0, 400), st.integers(0, 400)))
def test_s2twp_alignment_is_exact_outside_replaced_phrases(text, span):
    check_alignment(text, "s2twp", span)


@PROPERTY
@given(traditional_texts, st.tuples(st.integers(0, 400), st.integers(0, 400)))
def test_tw2sp_alignment_is_exact_outside_replaced_phrases(text, span):
    check_alignment(text, "tw2sp", span)


# --- examples ------------------------------------------------------------------------


def test_identity_map_maps_every_offset_to_itself():
    m = OffsetMap.identity(5)
    assert m.is_identity and m.pieces == ()
    assert [m.to_dst(i) for i in range(6)] == [0, 1, 2, 3, 4, 5]
    assert m.span_to_src(1, 3) == (1, 3)


def test_replaced_phrase_maps_proportionally_and_spans_widen_to_it():
    # 坚持全局观念 -> 堅持全域性觀念: 全局 (2..4) became 全域性 (2..5)
    m = OffsetMap(6, 7, [Piece(2, 4, 2, 5)])
    assert [m.to_dst(i) for i in range(7)] == [0, 1, 2, 3, 5, 6, 7]
    assert [m.to_src(i) for i in range(8)] == [0, 1, 2, 2, 3, 4, 5, 6]
    assert m.span_to_dst(3, 4) == (2, 5)
    assert m.span_to_dst(0, 3) == (0, 5)
    assert m.span_to_src(4, 5) == (2, 4)
    assert m.span_to_dst(3, 3) == (3, 3)


def test_inserted_text_maps_its_position_to_its_start():
    m = OffsetMap(4, 6, [Piece(2, 2, 2, 4)])  # two characters inserted at 2
    assert [m.to_dst(i) for i in range(5)] == [0, 1, 4, 5, 6]
    assert [m.to_src(i) for i in range(7)] == [0, 1, 2, 2, 2, 3, 4]


@pytest.mark.parametrize(
    ("pieces", "message"),
    [
        # the text before it differs in length
        ([Piece(2, 4, 3, 5)], r"piece Piece\(src_start=2, .*\) does not follow the previous one"),
        # overlapping: the second starts inside the first
        (
            [Piece(2, 4, 2, 5), Piece(3, 5, 4, 6)],
            r"piece Piece\(src_start=3, .*\) does not follow the previous one",
        ),
        ([Piece(3, 2, 3, 4)], r"piece Piece\(src_start=3, src_end=2, .*\) has a negative length"),
    ],
)
def test_inconsistent_pieces_are_rejected(pieces, message):
    with pytest.raises(ValueError, match=message):
        OffsetMap(10, 11, pieces)


def test_offsets_outside_the_text_are_rejected():
    m = OffsetMap.identity(3)
    with pytest.raises(ValueError, match=r"^offset 4 outside 0\.\.3$"):
        m.to_dst(4)
    with pytest.raises(ValueError, match=r"^span 2\.\.1 outside 0\.\.3$"):
        m.span_to_dst(2, 1)


def test_align_isolates_each_replaced_phrase_of_a_real_sentence():
    text = "要以创新的方法优化服务,多思考和研究在规定环节中如何优化流程。"
    conv = cv.converter("s2twp").convert
    m = align(text, conv(text), conv)
    dst = conv(text)
    replaced = [(text[p.src_start : p.src_end], dst[p.dst_start : p.dst_end]) for p in m.pieces]
    assert replaced == [("优化", "最佳化"), ("优化", "最佳化")]
    assert m.to_dst(text.index(",")) == text.index(",") + 1


def test_align_falls_back_when_a_conversion_spans_punctuation():
    def joining(s: str) -> str:  # a converter that does cross "，", unlike OpenCC
        return s.replace("甲，乙", "丙")

    text = "一甲，乙二。甲"
    m = align(text, joining(text), joining)
    assert joining(text) == "一丙二。甲"
    assert m.pieces == (Piece(1, 4, 1, 2),)
    check_guarantees(m)
