"""Errors a user can cause, each with a message fit to print as it is.

Everything the CLI or TUI may show to a person derives from :class:`SpeechreaderError`;
the CLI prints ``speechreader: <message>`` and exits with code 2 instead of a
traceback. Anything else that escapes is a bug.
"""

from __future__ import annotations


class SpeechreaderError(Exception):
    """A problem caused by input, not by a bug: its ``str`` is the message to show."""

    exit_code = 2


class CorpusNotFound(SpeechreaderError):
    """The corpus folder does not exist or is not a folder."""


class UnknownDocument(SpeechreaderError):
    """No document with that id in the corpus."""


class UnreadableFile(SpeechreaderError):
    """A file that is not text we can decode (binary, empty, unknown encoding).

    ``reason`` is the one-line explanation shown in the corpus's skipped list.
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class InvalidRange(SpeechreaderError):
    """Offsets outside a document, or start >= end."""


class UnknownAnnotation(SpeechreaderError):
    """No annotation with that id in the database."""


class UnknownTag(SpeechreaderError):
    """No tag with that name in the codebook."""


class StoreError(SpeechreaderError):
    """The annotation database cannot be opened or written."""


class DatabaseCorrupt(StoreError):
    """A database file does not parse or has the wrong shape; the file is left untouched."""


class DatabaseLocked(StoreError):
    """Another process holds the database lock for longer than we are willing to wait."""


class InvalidInput(SpeechreaderError):
    """A malformed argument or file given by the user (a bad CSV, a bad variant name...)."""


class MissingDependency(SpeechreaderError):
    """An optional library a feature needs is not installed (e.g. pyarrow for Parquet)."""


class ConfigError(SpeechreaderError):
    """``config.toml`` (or a ``SPEECHREADER_*`` setting) cannot be used as it is."""


class NotYourAnnotation(SpeechreaderError):
    """A change to another coder's annotation, asked for without saying so (``any_coder``)."""


def check_text(value: str, what: str) -> str:
    """``value`` if it is text we can store; else :class:`InvalidInput` naming ``what``.

    A shell in a legacy locale (or a file name in another encoding) hands Python bytes
    that are not UTF-8 as lone surrogates (``\udcff``); they cannot be written to a
    UTF-8 file, so they are refused here, before anything is changed.
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        shown = value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        raise InvalidInput(
            f"{what} {shown!r} is not valid UTF-8 text (is the terminal's locale UTF-8?)"
        ) from None
    return value
