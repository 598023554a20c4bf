"""Any table, to CSV or Parquet, with its columns' types: what the analysis tables leave by.

A table is a list of columns, each ``(name, type)`` with type ``str``, ``int``,
``float``, ``bool``, ``strs`` (a list of strings) or ``timestamp`` (ISO 8601 text,
UTC), and rows of values in that order. The format follows the file name: ``.parquet``
is Parquet (pyarrow, the optional extra ``speechreader[parquet]``), anything else CSV.

CSV cells are text: lists are joined with ``"; "``, and text is kept safe from
spreadsheet formulas (:func:`neutralise`). Parquet keeps the types, so pandas, polars,
R's arrow and DuckDB read integers as integers and lists as lists; an empty
``timestamp`` or an empty optional text (``nullable``) becomes a missing value. Both are
written to a temporary file and renamed into place: a crash leaves the old file.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from speechreader.core.errors import InvalidInput, MissingDependency
from speechreader.core.exchange._cells import neutralise

Column = tuple[str, str]
TYPES = ("str", "int", "float", "bool", "strs", "timestamp")
LIST_SEPARATOR = "; "


def is_parquet(path: Path | str) -> bool:
    return str(path).lower().endswith((".parquet", ".pq"))


def require_pyarrow():
    """The pyarrow module, or a one-line error saying how to install it."""
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise MissingDependency(
            "writing Parquet needs pyarrow: pip install 'speechreader[parquet]' "
            "(or pip install pyarrow)"
        ) from None
    return pyarrow


def write_table(
    path: Path | str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    nullable: Iterable[str] = (),
    excel: bool = False,
) -> int:
    """Write ``rows`` to ``path`` (Parquet or CSV by its suffix); return how many."""
    path = Path(path)
    for name, kind in columns:
        if kind not in TYPES:
            raise ValueError(f"column {name!r}: unknown type {kind!r}")
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder; give a file name")
    rows = list(rows)
    if is_parquet(path):
        data = _parquet_bytes(columns, rows, set(nullable))
    else:
        data = _csv_bytes(columns, rows, excel)
    _replace(path, data)
    return len(rows)


def _csv_text(kind: str, value: Any) -> str:
    if value is None:
        return ""
    if kind == "strs":
        return neutralise(LIST_SEPARATOR.join(map(str, value)))
    if kind == "float":
        return repr(float(value))
    if kind == "bool":
        return "true" if value else "false"
    return neutralise(str(value))


def _csv_bytes(columns: Sequence[Column], rows: list[Sequence[Any]], excel: bool) -> bytes:
    buffer = io.StringIO()
    if excel:
        buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([name for name, _ in columns])
    kinds = [kind for _, kind in columns]
    for row in rows:
        writer.writerow([_csv_text(k, v) for k, v in zip(kinds, row, strict=True)])
    return buffer.getvalue().encode("utf-8")


def _arrow_type(pa, kind: str):
    return {
        "str": pa.string(),
        "int": pa.int64(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "strs": pa.list_(pa.string()),
        "timestamp": pa.timestamp("s", tz="UTC"),
    }[kind]


def _convert(kind: str, value: Any, nullable: bool) -> Any:
    if value is None:
        return None
    if kind == "int":
        return int(value) if value != "" else None
    if kind == "float":
        return float(value) if value != "" else None
    if kind == "bool":
        return bool(value)
    if kind == "strs":
        return [str(v) for v in value]
    if kind == "timestamp":
        return _timestamp(value)
    text = str(value)
    return None if nullable and text == "" else text


def _timestamp(value: Any):
    from datetime import UTC, datetime

    if isinstance(value, datetime):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None  # not a time we wrote; left missing rather than guessed
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def _parquet_bytes(
    columns: Sequence[Column], rows: list[Sequence[Any]], nullable: set[str]
) -> bytes:
    pa = require_pyarrow()
    import pyarrow.parquet as pq

    arrays = []
    for i, (name, kind) in enumerate(columns):
        values = [_convert(kind, row[i], name in nullable) for row in rows]
        arrays.append(pa.array(values, type=_arrow_type(pa, kind)))
    table = pa.Table.from_arrays(arrays, names=[name for name, _ in columns])
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue().to_pybytes()


def _replace(path: Path, data: bytes) -> None:
    """Write ``data`` beside ``path`` and rename it into place (standard output for ``-``)."""
    if str(path) == "-":
        import sys

        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".sr-export-", suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
