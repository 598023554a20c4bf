"""speechreader: read Chinese political speeches side by side and code them for research.

The headless core lives in :mod:`speechreader.core` (no Textual import) so that a
researcher can use it from a notebook; :mod:`speechreader.tui` only presents it and
:mod:`speechreader.cli` is a thin command-line layer over the same core.
"""

__version__ = "0.1.0"
