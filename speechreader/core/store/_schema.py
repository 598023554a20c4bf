"""What a database folder contains and what its records must look like.

The names here are the on-disk contract (see ARCHITECTURE.md, "The database"). The
validators are strict on purpose: a hand-edited file with a wrong type must stop us
with a message naming the file and the record, before we rewrite it and lose data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from speechreader.core.errors import DatabaseCorrupt
from speechreader.core.store._names import safe_name
from speechreader.core.store._records import PALETTE

FORMAT = "speechreader-annotations"
SCHEMA_VERSION = 1
MANIFEST = "speechreader-db.json"
CODEBOOK = "codebook.json"
ANNOTATIONS = "annotations"
DONE = "done"
LOCAL = "local"
GITIGNORE = ".gitignore"
CODEBOOK_TABLE = "codebook"
ANNOTATIONS_TABLE = "annotations"
DONE_TABLE = "done"

DOCTOR_HINT = (
    "the file was left untouched; run `speechreader doctor` to check and repair the database"
)

_ANN_STR = ("quote", "prefix", "suffix", "note", "coder", "created", "updated", "doc_hash")
_TAG_STR = ("colour", "description")


def _type_name(value: object) -> str:
    return "null" if value is None else type(value).__name__


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def valid_annotation(key: str, rec: object) -> bool:
    """The common case in one expression: a well-formed record (100,000 are read at once)."""
    get = rec.get if type(rec) is dict else None
    if get is None:
        return False
    start, end, tags, highlight = get("start"), get("end"), get("tags", []), get("highlight")
    return (
        get("id") == key
        and type(get("doc_id")) is str and get("doc_id") != ""
        and type(get("coder")) is str and get("coder") != ""
        and type(start) is int and type(end) is int and 0 <= start < end
        and type(get("quote", "")) is str and type(get("prefix", "")) is str
        and type(get("suffix", "")) is str and type(get("note", "")) is str
        and type(get("created", "")) is str and type(get("updated", "")) is str
        and type(get("doc_hash", "")) is str
        and (highlight is None or type(highlight) is str)
        and type(tags) is list and all(type(t) is str and t for t in tags)
    )  # fmt: skip


def annotation_problem(key: str, rec: object) -> str | None:
    """What is wrong with an annotation record stored under ``key``, or None."""
    if valid_annotation(key, rec):
        return None
    if not isinstance(rec, dict):
        return f"must be an object, not {_type_name(rec)}"
    if rec.get("id") != key:
        return f"its 'id' ({rec.get('id')!r}) differs from its key"
    for name in ("doc_id", "coder"):
        if not isinstance(rec.get(name), str) or not rec[name]:
            return f"'{name}' must be a non-empty string"
    for name in ("start", "end"):
        if not _is_int(rec.get(name)):
            return f"'{name}' must be a whole number, not {_type_name(rec.get(name))}"
    if not 0 <= rec["start"] < rec["end"]:
        return f"'start' ({rec['start']}) must be >= 0 and less than 'end' ({rec['end']})"
    for name in _ANN_STR:
        if name in rec and not isinstance(rec[name], str):
            return f"'{name}' must be a string, not {_type_name(rec[name])}"
    tags = rec.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) and t for t in tags):
        return "'tags' must be a list of tag names"
    if rec.get("highlight") is not None and not isinstance(rec["highlight"], str):
        return f"'highlight' must be a string or null, not {_type_name(rec['highlight'])}"
    return None


def tag_problem(key: str, rec: object) -> str | None:
    """What is wrong with a codebook record stored under ``key``, or None."""
    if not isinstance(rec, dict):
        return f"must be an object, not {_type_name(rec)}"
    if rec.get("name") != key:
        return f"its 'name' ({rec.get('name')!r}) differs from its key"
    for name in _TAG_STR:
        if name in rec and not isinstance(rec[name], str):
            return f"'{name}' must be a string, not {_type_name(rec[name])}"
    if rec.get("parent") is not None and not isinstance(rec["parent"], str):
        return f"'parent' must be a tag name or null, not {_type_name(rec['parent'])}"
    if "order" in rec and not _is_int(rec["order"]):
        return f"'order' must be a whole number, not {_type_name(rec['order'])}"
    return None


RecordProblem = Callable[[str, object], "str | None"]


def table_problems(data: object, table: str, problem: RecordProblem) -> list[tuple[str, str]]:
    """Every ``(record key, what is wrong)`` in a parsed TinyDB file (key "" for its shape)."""
    if not isinstance(data, dict):
        return [("", f"the top level must be an object of tables, not {_type_name(data)}")]
    found: list[tuple[str, str]] = []
    for name, records in data.items():
        if not isinstance(records, dict):
            found.append(("", f"table {name!r} must be an object, not {_type_name(records)}"))
        elif name == table:
            for key, rec in records.items():
                what = problem(key, rec)
                if what:
                    found.append((key, what))
    return found


def check_tables(path: Path, data: object, table: str, problem: RecordProblem) -> None:
    """Raise :class:`DatabaseCorrupt` naming ``path`` and the first bad record, if any."""
    found = table_problems(data, table, problem)
    if found:
        key, what = found[0]
        where = f"record {key!r} in table {table!r}: " if key else ""
        more = f" (and {len(found) - 1} more problems)" if len(found) > 1 else ""
        raise DatabaseCorrupt(f"{path}: {where}{what}{more}; {DOCTOR_HINT}")


def annotation_file_check(coder_folder: str, stem: str) -> Callable[[Path, object], None]:
    """The check for ``annotations/<coder_folder>/<stem>.json``: valid records, in the right file.

    Records must belong to the file they are in (coder and document match its name):
    the store finds a document's annotations by file name alone.
    """

    def check(path: Path, data: object) -> None:
        check_tables(path, data, ANNOTATIONS_TABLE, annotation_problem)
        seen: dict[tuple[str, str], bool] = {}
        records = data.get(ANNOTATIONS_TABLE, {}) if isinstance(data, dict) else {}
        for key, rec in records.items():
            pair = (rec["coder"], rec["doc_id"])
            if pair not in seen:
                seen[pair] = safe_name(pair[0]) == coder_folder and safe_name(pair[1]) == stem
            if not seen[pair]:
                raise DatabaseCorrupt(
                    f"{path}: record {key!r} (coder {pair[0]!r}, document {pair[1]!r}) "
                    f"belongs in annotations/{safe_name(pair[0])}/{safe_name(pair[1])}.json; "
                    f"{DOCTOR_HINT}"
                )

    return check


def done_problem(key: str, rec: object) -> str | None:
    """What is wrong with a "done" mark (``done/<coder>.json``, keyed by document id), or None."""
    if not isinstance(rec, dict):
        return f"must be an object, not {_type_name(rec)}"
    if rec.get("doc_id") != key or not key:
        return f"its 'doc_id' ({rec.get('doc_id')!r}) differs from its key"
    if not isinstance(rec.get("coder"), str) or not rec["coder"]:
        return "'coder' must be a non-empty string"
    if "time" in rec and not isinstance(rec["time"], str):
        return f"'time' must be a string, not {_type_name(rec['time'])}"
    return None


def done_file_check(stem: str) -> Callable[[Path, object], None]:
    """The check for ``done/<stem>.json``: valid marks, all of the coder the file is named for.

    One file per coder, so that two coders marking documents never touch the same file
    (their work merges in git without conflicts), as with the annotation files.
    """

    def check(path: Path, data: object) -> None:
        check_tables(path, data, DONE_TABLE, done_problem)
        records = data.get(DONE_TABLE, {}) if isinstance(data, dict) else {}
        for key, rec in records.items():
            if safe_name(rec["coder"]) != stem:
                raise DatabaseCorrupt(
                    f"{path}: record {key!r} (coder {rec['coder']!r}) belongs in "
                    f"{DONE}/{safe_name(rec['coder'])}.json; {DOCTOR_HINT}"
                )

    return check


def file_kind(rel: str) -> str:
    """Which table a database file holds, from its path: codebook, annotations or done."""
    if rel == CODEBOOK:
        return CODEBOOK_TABLE
    if rel.startswith(DONE + "/"):
        return DONE_TABLE
    return ANNOTATIONS_TABLE


def file_check(rel: str) -> Callable[[Path, object], None]:
    """The check for the database file at ``rel`` (codebook, done marks or annotations)."""
    kind = file_kind(rel)
    if kind == CODEBOOK_TABLE:
        return codebook_check
    if kind == DONE_TABLE:
        return done_file_check(rel.split("/")[1][:-5])
    _, coder, name = rel.split("/")
    return annotation_file_check(coder, name[:-5])


def codebook_check(path: Path, data: object) -> None:
    check_tables(path, data, CODEBOOK_TABLE, tag_problem)


def next_colour(used: list[str]) -> str:
    """The first palette colour no tag uses yet; once all are taken, cycle through them."""
    taken = set(used)
    for colour in PALETTE:
        if colour not in taken:
            return colour
    return PALETTE[len(used) % len(PALETTE)]


def manifest_data() -> dict:
    return {"format": FORMAT, "schema_version": SCHEMA_VERSION}


def manifest_problem(data: object) -> str | None:
    """What is wrong with a parsed manifest, or None (a *newer* version is not checked here)."""
    if not isinstance(data, Mapping):
        return "the manifest must be a JSON object"
    if data.get("format") != FORMAT:
        return f"'format' is {data.get('format')!r}, expected {FORMAT!r}"
    if not _is_int(data.get("schema_version")):
        return "'schema_version' must be a whole number"
    return None
