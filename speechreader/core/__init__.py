"""The headless core: corpus, encodings, conversion, segmentation, store, search, export.

Nothing under this package imports Textual (a test checks ``sys.modules``), so it
can be used from scripts and notebooks without a terminal UI.
"""
