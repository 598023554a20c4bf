"""Any table, to CSV or Parquet, with its columns' types: what the analysis tables leave by.

A table is a list of columns, each ``(name, type)`` with type ``str``, ``int``,
``float``, ``bool``, ``strs`` (a list of strings) or ``timestamp`` (ISO 8601 text,
UTC), and rows of values in that order. The format follows the file name: ``.parquet``
is Parquet (pyarrow, the optional extra ``speechreader[parquet]``), anything else CSV.

CSV cells are text: lists are joined with ``"; "``, and text is kept safe from
spreadsheet formulas (:func:`neutralise`). Parquet keeps the types, so pandas, polars,
R's arrow and DuckDB read integers as integers and lists as lists; an empty
``timestamp`` or an empty optional text (``nullable``) becomes a missing value. Both are
written as the rows come (a few thousand at a time) to a temporary file renamed into
place when it is whole: a crash or an error leaves the old file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from speechreader.core.errors import InvalidInput, MissingDependency
from speechreader.core.exchange._cells import neutralise
from speechreader.core.fileio import atomic_writer

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


#: Rows turned into Arrow arrays at a time, and rows per Parquet row group: what a table
#: written to Parquet holds in memory (a million-row export held as one table: 5 GB).
ARROW_BATCH_ROWS = 2_048
ROW_GROUP_ROWS = 65_536


def write_table(
    path: Path | str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    nullable: Iterable[str] = (),
    excel: bool = False,
    parquet: bool | None = None,
) -> int:
    """Write ``rows`` to ``path`` (Parquet or CSV by its suffix, or as ``parquet`` says:
    ``--format parquet`` and ``-`` for standard output); return how many.

    ``rows`` are consumed as they are written, a few thousand at a time: a generator of
    a million rows never has them all in memory. The file appears whole or not at all.
    """
    path = Path(path)
    for name, kind in columns:
        if kind not in TYPES:
            raise ValueError(f"column {name!r}: unknown type {kind!r}")
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder; give a file name")
    if is_parquet(path) if parquet is None else parquet:
        require_pyarrow()  # before any file is made
        return _written(path, lambda handle: _write_parquet(handle, columns, rows, set(nullable)))
    return _written(path, lambda handle: _write_csv(handle, columns, rows, excel))


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


def _write_csv(
    handle: BinaryIO, columns: Sequence[Column], rows: Iterable[Sequence[Any]], excel: bool
) -> int:
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="", write_through=False)
    try:
        if excel:
            text.write("\ufeff")
        writer = csv.writer(text)
        writer.writerow([name for name, _ in columns])
        kinds = [kind for _, kind in columns]
        count = 0
        for count, row in enumerate(rows, 1):  # noqa: B007
            writer.writerow([_csv_text(k, v) for k, v in zip(kinds, row, strict=True)])
        text.flush()
    finally:
        text.detach()  # the handle is its owner's to close
    return count


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


def _write_parquet(
    handle: BinaryIO,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    nullable: set[str],
) -> int:
    """Rows to Arrow a batch at a time, a row group per :data:`ROW_GROUP_ROWS` rows."""
    pa = require_pyarrow()
    import pyarrow.parquet as pq

    schema = pa.schema([(name, _arrow_type(pa, kind)) for name, kind in columns])
    count = 0
    pending: list = []  # record batches of the next row group
    pending_rows = 0
    with pq.ParquetWriter(handle, schema) as writer:
        for chunk in _chunks(rows, ARROW_BATCH_ROWS):
            pending.append(_record_batch(pa, schema, columns, chunk, nullable))
            pending_rows += len(chunk)
            count += len(chunk)
            if pending_rows >= ROW_GROUP_ROWS:
                writer.write_table(pa.Table.from_batches(pending, schema), pending_rows)
                pending, pending_rows = [], 0
        if pending or not count:
            writer.write_table(pa.Table.from_batches(pending, schema), max(pending_rows, 1))
    return count


def _record_batch(pa, schema, columns: Sequence[Column], rows: list, nullable: set[str]):
    arrays = []
    for i, (name, kind) in enumerate(columns):
        values = [_convert(kind, row[i], name in nullable) for row in rows]
        arrays.append(pa.array(values, type=_arrow_type(pa, kind)))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def _chunks(rows: Iterable[Sequence[Any]], size: int) -> Iterator[list[Sequence[Any]]]:
    chunk: list[Sequence[Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _written(path: Path, write: Callable[[BinaryIO], int]) -> int:
    """``write(handle)`` into a temporary file renamed over ``path`` when it is whole
    (standard output for ``-``); any error leaves the old file and no temporary one."""
    if str(path) == "-":
        import sys

        count = write(sys.stdout.buffer)
        sys.stdout.flush()
        return count
    with atomic_writer(path, "wb", prefix=".sr-export-", suffix=path.suffix) as handle:
        return write(handle)
