"""Script-insensitive search over a corpus, and keyword-in-context (KWIC) lines.

Researchers look for every place a formulation occurs (两个维护, 脱贫攻坚, 一把手)
across hundreds of speeches in both scripts. Queries and documents are compared in
their search form (:mod:`_form`: t2s, full-width and case folded, one character
for one), so 发展 finds 發展 and 幹部 finds 干部, and every hit is an exact span of the
document's own text, the text annotations point into.

``find`` gives the spans (cheap: what counting and auto-coding need), ``kwic`` turns
spans into :class:`Hit` lines with context from the document's own text, and
``search`` does both. Documents can be restricted by metadata, by id, or to passages
carrying a tag (that needs the annotation :class:`~speechreader.core.store.Store`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING

from speechreader.core.errors import InvalidInput
from speechreader.core.gcpause import paused_gc
from speechreader.core.search._filter import SearchFilter, selected_ids
from speechreader.core.search._form import (
    FOLD,
    IndexedDoc,
    either_zhe_in_pattern,
    literal_pattern,
    query_particles,
)
from speechreader.core.search._index import SearchIndex
from speechreader.core.search._postings import query_codes

if TYPE_CHECKING:
    from speechreader.core.store import Store

DEFAULT_CONTEXT = 20
SORTS = ("doc", "left", "right")
#: full-width ASCII in a regular expression stands for itself: （一） must stay literal
#: once folded to (一), where it would be a group
_PATTERN_FOLD = {k: re.escape(chr(v)) for k, v in FOLD.items() if k > 0x7F}


#: a hit without context: ``(doc_id, start, end)``, ``text[start:end]`` of the document
#: (a plain tuple: a NamedTuple takes 4x as long to make, and a common word gives
#: 200,000 of them)
Span = tuple[str, int, int]


@dataclass(slots=True)
class Hit:
    """A KWIC line: the match and up to N characters either side, from the document's text.

    ``left_key``/``right_key`` are the contexts in search form (left reversed), what the
    concordance sorts compare so that 發展 and 发展 sort together; not part of the JSON.
    Not frozen: a frozen dataclass takes five times as long to make, and a common word
    gives 200,000 hits in a large corpus.
    """

    doc_id: str
    start: int
    end: int
    left: str
    match: str
    right: str
    left_key: str | None = field(default=None, compare=False, repr=False)
    right_key: str | None = field(default=None, compare=False, repr=False)

    def to_json(self) -> dict:
        """The ``speechreader search --json`` form (a contract)."""
        return {
            "doc_id": self.doc_id,
            "start": self.start,
            "end": self.end,
            "left": self.left,
            "match": self.match,
            "right": self.right,
        }


def compile_query(index: SearchIndex, query: str, *, regex: bool = False) -> re.Pattern:
    """The query as a pattern over search forms.

    A literal query is put in search form and escaped (``re`` finds a literal 2x as
    fast as a ``str.find`` loop, the loop being Python). A regular expression is
    converted like the text (t2s: its CJK characters are literal text; a particle 著
    matches 着 too, as in a literal query), full-width
    ASCII in it becomes the escaped ASCII character, and matching ignores case, so
    its own escapes (``\\D``, ``\\S``) keep their meaning. ``^`` and ``$`` match at
    line (paragraph) ends.
    """
    if not query or not query.strip():
        raise InvalidInput("nothing to search for: the query is empty")
    if not regex:
        return re.compile(literal_pattern(query, index.config))
    from speechreader.core.text import convert

    pattern = convert(query, index.config)
    if len(pattern) == len(query):  # a particle 著 (隨著) matches 着 as well
        pattern = either_zhe_in_pattern(pattern, query_particles(query))
    pattern = pattern.translate(_PATTERN_FOLD)
    try:
        return re.compile(pattern, re.IGNORECASE | re.MULTILINE)
    except re.error as exc:
        raise InvalidInput(f"invalid regular expression {query!r}: {exc}") from None


def _tag_passages(store: Store, tag: str) -> dict[str, list[tuple[int, int]]]:
    """Spans coded with ``tag``, by document."""
    if tag not in store.tag_counts():
        store.get_tag(tag)  # UnknownTag, with close names
    out: dict[str, list[tuple[int, int]]] = {}
    for ann in store.all():  # one pass over the files, not a listing per document
        if tag in ann.tags:
            out.setdefault(ann.doc_id, []).append((ann.start, ann.end))
    return out


def literal_codes(index: SearchIndex, query: str) -> tuple[list[int], str]:
    """The pairs every document holding the literal ``query`` holds, or a character
    to fall back on (see :func:`~speechreader.core.search._postings.query_codes`)."""
    norm = index.normalise(query)
    particles = query_particles(query) if len(norm) == len(query) else []
    return query_codes(norm, particles)


def found_by_document(
    index: SearchIndex,
    query: str,
    *,
    regex: bool = False,
    whole_word: bool = False,
    where: SearchFilter | None = None,
    store: Store | None = None,
    entries: bool = False,
) -> Iterator[tuple[str, IndexedDoc | None, list[tuple[int, int]]]]:
    """``(doc_id, entry, [(start, end), …])`` of each document with hits, in corpus order
    (``entry`` only with ``entries``: reading a traditional text's own text costs; it
    comes without its OffsetMap, the hits being mapped already).

    A literal query reads only the documents holding all its pairs of characters (the
    index's postings); a regular expression reads every document, a chunk at a time.
    The regular expression runs on each document's search form either way, so the hits
    are those of a scan.
    """
    needle = compile_query(index, query, regex=regex)
    allowed = selected_ids(index, where)
    passages: dict[str, list[tuple[int, int]]] | None = None
    if where is not None and where.tag:
        if store is None:
            raise InvalidInput("restricting a search to a tag needs the annotation database")
        passages = _tag_passages(store, where.tag)
        allowed = set(passages) if allowed is None else allowed & passages.keys()
    docs = index.candidates(None) if regex else index.candidates(*literal_codes(index, query))
    if allowed is not None:
        docs = [(doc_id, no) for doc_id, no in docs if doc_id in allowed]
    ids = {no: doc_id for doc_id, no in docs}
    numbers = [no for _, no in docs]
    if entries:
        forms = ((no, e.norm, cols, e) for no, e, cols in index.entries(numbers, maps=False))
    else:
        forms = ((no, norm, pieces, None) for no, norm, pieces in index.norms(numbers))
    finditer = needle.finditer
    for no, norm, mapping, entry in forms:
        found = [m.span() for m in finditer(norm)]
        if regex:  # a pattern such as 发展* also matches nothing, everywhere
            found = [(a, b) for a, b in found if b > a]
        if not found:
            continue
        doc_id = ids[no]
        if mapping is not None:
            found = spans_to_original(mapping, found)
        if whole_word:
            bounds = index.word_boundaries(doc_id)
            found = [(a, b) for a, b in found if a in bounds and b in bounds]
        if passages is not None:
            coded = passages[doc_id]
            found = [(a, b) for a, b in found if any(s <= a and b <= e for s, e in coded)]
        if found:
            yield doc_id, entry, found


def find(
    index: SearchIndex,
    query: str,
    *,
    regex: bool = False,
    whole_word: bool = False,
    where: SearchFilter | None = None,
    store: Store | None = None,
) -> list[Span]:
    """Every non-overlapping occurrence, in corpus order then by offset.

    ``whole_word`` keeps hits that start and end at jieba word boundaries (so 发展
    does not match inside 发展观); documents are segmented only if they have hits.
    A ``where.tag`` needs ``store``.
    """
    spans: list[Span] = []
    with paused_gc():
        for doc_id, _, found in found_by_document(
            index, query, regex=regex, whole_word=whole_word, where=where, store=store
        ):
            spans.extend([(doc_id, a, b) for a, b in found])
    return spans


def hit_rows(
    doc_id: str, entry: IndexedDoc, found: list[tuple[int, int]], context: int
) -> list[tuple[str, int, int, str, str, str]]:
    """``(doc_id, start, end, left, match, right)`` of a document's hits: KWIC lines as
    tuples (what ``search --json`` writes; a tuple is made 3x as fast as a Hit)."""
    if entry.orig is not None:
        text = entry.orig
    elif entry.mapping is None and not entry.diff_pos:
        text = entry.norm  # the search form is the text: most simplified speeches
    else:
        rows = []
        for start, end in found:
            lo = start - context if start > context else 0
            window = entry.original(lo, end + context)
            a, b = start - lo, end - lo
            rows.append((doc_id, start, end, window[:a], window[a:b], window[b:]))
        return rows
    # slices stop at the text's end by themselves
    return [
        (
            doc_id,
            a,
            b,
            text[a - context if a > context else 0 : a],
            text[a:b],
            text[b : b + context],
        )
        for a, b in found
    ]


def spans_to_original(
    pieces: tuple[list[int], ...], found: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """``OffsetMap.span_to_src`` of each non-empty span, from the map's columns
    ``(src_starts, src_ends, dst_starts, dst_ends)``: bisects inline, no method calls
    (a glossed speech has hundreds of hits of a common word)."""
    ss, se, ds, de = pieces
    out = []
    for start, end in found:
        i = bisect_right(ds, start) - 1
        if i < 0:
            lo = start
        elif start < de[i]:
            lo = ss[i]
        else:
            lo = se[i] + start - de[i]
        j = bisect_right(ds, end - 1) - 1
        if j >= 0 and end < de[j]:
            hi = se[j]
        else:
            k = bisect_right(ds, end) - 1
            if k < 0:
                hi = end
            elif end >= de[k]:
                hi = se[k] + end - de[k]
            else:  # inside a longer replaced phrase: rounding down, as OffsetMap does
                hi = ss[k] + (end - ds[k]) * (se[k] - ss[k]) // (de[k] - ds[k])
        out.append((lo, hi))
    return out


def search_rows(
    index: SearchIndex,
    query: str,
    *,
    regex: bool = False,
    whole_word: bool = False,
    where: SearchFilter | None = None,
    store: Store | None = None,
    context: int = DEFAULT_CONTEXT,
) -> Iterator[list[tuple[str, int, int, str, str, str]]]:
    """The KWIC lines of :func:`search` (in document order), a document at a time, as
    ``(doc_id, start, end, left, match, right)`` tuples: a caller that writes them out
    as it goes holds one document's hits, not two million Hit objects."""
    if context < 0:
        raise InvalidInput(f"context must be 0 or more characters, not {context}")
    for doc_id, entry, found in found_by_document(
        index, query, regex=regex, whole_word=whole_word, where=where, store=store, entries=True
    ):
        assert entry is not None
        yield hit_rows(doc_id, entry, found, context)


def kwic(index: SearchIndex, spans: Iterable[Span], context: int = DEFAULT_CONTEXT) -> list[Hit]:
    """KWIC lines for ``spans``, with ``context`` characters each side (fewer at the ends)."""
    if context < 0:
        raise InvalidInput(f"context must be 0 or more characters, not {context}")
    hits: list[Hit] = []
    with paused_gc():
        _add_hits(index, spans, context, hits.append)
    return hits


def _add_hits(
    index: SearchIndex, spans: Iterable[Span], context: int, add: Callable[[Hit], None]
) -> None:
    doc_id, entry = None, None
    for span in spans:
        if span[0] != doc_id:
            doc_id = span[0]
            entry = index.entry(doc_id)
        start, end = span[1], span[2]
        lo, hi = max(0, start - context), min(entry.length, end + context)
        if entry.mapping is None:
            norm = entry.norm
            if entry.orig is not None:
                window = entry.orig[lo:hi]
            elif entry.diff_pos:
                window = entry.original(lo, hi)
            else:  # the search form is the text: most simplified speeches
                window = norm[lo:hi]
            left_key, right_key = norm[lo:start][::-1], norm[end:hi]
        else:
            window = entry.orig[lo:hi]
            n_lo, n_start = entry.to_norm(lo, start)
            n_end, n_hi = entry.to_norm(end, hi)
            left_key, right_key = entry.norm[n_lo:n_start][::-1], entry.norm[n_end:n_hi]
        a, b = start - lo, end - lo
        add(Hit(doc_id, start, end, window[:a], window[a:b], window[b:], left_key, right_key))


def _keys(entry: IndexedDoc, start: int, end: int, context: int) -> tuple[str, str]:
    """The left context (reversed) and right context of a span, in search form."""
    lo, hi = max(0, start - context), min(entry.length, end + context)
    if entry.mapping is not None:
        (lo, start), (end, hi) = entry.to_norm(lo, start), entry.to_norm(end, hi)
    return entry.norm[lo:start][::-1], entry.norm[end:hi]


def sort_spans(
    index: SearchIndex, spans: Iterable[Span], by: str = "doc", context: int = DEFAULT_CONTEXT
) -> list[Span]:
    """Spans in the order :func:`sort_hits` puts their KWIC lines, without making the lines.

    For a view that shows one page of lines at a time: sorting 200,000 spans and making
    the lines of one page is three times faster than making every line first.
    """
    if by not in SORTS:
        raise InvalidInput(f"unknown sort {by!r}; choose one of: {', '.join(SORTS)}")
    out = sorted(spans)
    if by == "doc":
        return out
    side = 0 if by == "left" else 1
    keys: list[str] = []
    add = keys.append
    with paused_gc():
        doc_id, entry, norm = None, None, ""
        for span_doc, start, end in out:
            if span_doc != doc_id:
                doc_id, entry = span_doc, index.entry(span_doc)
                norm = entry.norm
            if entry.mapping is not None:
                add(_keys(entry, start, end, context)[side])
            elif side:
                add(norm[end : end + context])
            else:
                add(norm[max(0, start - context) : start][::-1])
        order = sorted(range(len(out)), key=keys.__getitem__)
        return [out[i] for i in order]


def sort_hits(hits: Iterable[Hit], by: str = "doc") -> list[Hit]:
    """Hits in concordance order.

    - ``doc``: corpus (document id) order, then offset;
    - ``left``: by the left context read backwards, the characters right before the
      hit first (what a concordancer's "sort on L1, L2..." does), so the words that
      precede a formulation line up; ties in document order;
    - ``right``: by the right context, ties in document order.

    Contexts compare in search form (``left_key``/``right_key``, made by :func:`kwic`),
    so both scripts sort together; a hand-made :class:`Hit` without them sorts by its
    own text.
    """
    if by not in SORTS:
        raise InvalidInput(f"unknown sort {by!r}; choose one of: {', '.join(SORTS)}")
    with paused_gc():
        # two stable sorts on one key each: 3x faster than one sort on tuples
        out = sorted(hits, key=attrgetter("doc_id", "start", "end"))
        if by == "left":
            out.sort(key=lambda h: h.left[::-1] if h.left_key is None else h.left_key)
        elif by == "right":
            out.sort(key=lambda h: h.right if h.right_key is None else h.right_key)
    return out


def search(
    index: SearchIndex,
    query: str,
    *,
    regex: bool = False,
    whole_word: bool = False,
    where: SearchFilter | None = None,
    store: Store | None = None,
    context: int = DEFAULT_CONTEXT,
    sort: str = "doc",
) -> list[Hit]:
    """KWIC lines of every hit (see :func:`find`, :func:`kwic`, :func:`sort_hits`)."""
    if sort not in SORTS:
        raise InvalidInput(f"unknown sort {sort!r}; choose one of: {', '.join(SORTS)}")
    spans = find(index, query, regex=regex, whole_word=whole_word, where=where, store=store)
    hits = kwic(index, spans, context)
    return hits if sort == "doc" else sort_hits(hits, sort)
