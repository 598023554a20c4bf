"""The headless core: what speechreader knows, without a screen.

Its parts are packages named for what they hold: :mod:`~speechreader.core.text`
(decoding, problems, conversion, offsets, words, units), :mod:`~speechreader.core.corpus`
(the folder of speeches), :mod:`~speechreader.core.store` (the annotation database),
:mod:`~speechreader.core.search` and :mod:`~speechreader.core.exchange` (CSV in and out);
shared basics (errors, paths, config, atomic file writes) sit at this level. Nothing
here imports Textual, Rich or click, so a researcher can use it from a notebook::

    from speechreader.core.corpus import Corpus
    from speechreader.core.store import Store
"""
