"""The text of a speech: decoding, what to distrust, conversion, offsets, words, units.

Everything about a document's characters lives here: bytes to text in any encoding
(:func:`read_text_file`), the scraping problems a reader should distrust (located by
:func:`find_problems`, counted by :func:`problem_summary`), simplified ⇄ traditional
conversion through OpenCC with the project's phrase overrides (:func:`convert`,
:func:`pane_texts`) and the exact :class:`OffsetMap` that ties a converted text to the
original, word boundaries from jieba (:func:`word_boundaries`), and sentences and
paragraphs (:func:`sentence_spans`). :func:`clean_view` is how the text is shown without
pinyin glosses and doubled punctuation, with an exact map back to it.
Nothing here knows about corpora or annotations.

The names below are the part's public surface: other parts, the CLI and the TUI import
only these (an import-linter contract checks it). They load on first use, so importing
the part costs nothing until a name is needed (cold start of the command line).
"""

from typing import TYPE_CHECKING

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "_clean": ["CLEANED_KINDS", "CleanView", "clean_view"],
        "_conversion": [
            "DEFAULT_VARIANT",
            "PaneTexts",
            "VARIANTS",
            "convert",
            "convert_mapped",
            "converter",
            "detect_script",
            "get_variant",
            "other_pane",
            "pane_texts",
            "reads_traditional",
            "simplified_form",
        ],
        "_encoding": ["decode_bytes", "decode_known", "read_text_file"],
        "_offsets": ["OffsetMap", "Piece"],
        "_phrases": ["load_phrases"],
        "_problems": [
            "PROBLEM_KINDS",
            "Problem",
            "ProblemSpan",
            "find_problems",
            "pinyin_gloss_spans",
            "problem_summary",
        ],
        "_segmentation": ["segmentation_signature", "segmenter", "word_boundaries"],
        "_stopwords": ["stop_words"],
        "_zhe": ["fold_zhe", "zhe_particle_positions"],
        "_units": [
            "next_span_start",
            "next_word_start",
            "paragraph_spans",
            "prev_span_start",
            "prev_word_start",
            "sentence_spans",
            "span_at",
        ],
    },
)

if TYPE_CHECKING:  # for type checkers and readers; at run time the names load lazily
    from ._clean import CLEANED_KINDS, CleanView, clean_view
    from ._conversion import (
        DEFAULT_VARIANT,
        VARIANTS,
        PaneTexts,
        convert,
        convert_mapped,
        converter,
        detect_script,
        get_variant,
        other_pane,
        pane_texts,
        reads_traditional,
        simplified_form,
    )
    from ._encoding import decode_bytes, decode_known, read_text_file
    from ._offsets import OffsetMap, Piece
    from ._phrases import load_phrases
    from ._problems import (
        PROBLEM_KINDS,
        Problem,
        ProblemSpan,
        find_problems,
        pinyin_gloss_spans,
        problem_summary,
    )
    from ._segmentation import segmentation_signature, segmenter, word_boundaries
    from ._stopwords import stop_words
    from ._units import (
        next_span_start,
        next_word_start,
        paragraph_spans,
        prev_span_start,
        prev_word_start,
        sentence_spans,
        span_at,
    )
    from ._zhe import fold_zhe, zhe_particle_positions
