"""Opening a database folder: create it, check its manifest, upgrade older versions.

The manifest (``speechreader-db.json``) names the format and its schema version. An
older version is upgraded in place after copying every file to
``local/backups/migration-v<N>-<time>/``; a newer one is refused untouched (an old
speechreader must not rewrite files it does not understand).

Before folders, a database was one TinyDB file (version 0: tables ``codebook`` and
``annotations`` with TinyDB's integer keys); :func:`migrate_legacy_file` copies one
into a new folder, leaving the original as it was.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from speechreader.core.errors import DatabaseCorrupt, StoreError
from speechreader.core.fileio import atomic_write_bytes, atomic_write_text
from speechreader.core.store import _schema as s
from speechreader.core.store._names import safe_name
from speechreader.core.store._records import Annotation, Tag
from speechreader.core.store._storage import Backups, parse_json, write_records_file

#: ``MIGRATIONS[n]`` upgrades a database folder from schema ``n`` to ``n + 1`` in place.
MIGRATIONS: dict[int, Callable[[Path], None]] = {}


def write_manifest(root: Path, version: int = s.SCHEMA_VERSION) -> None:
    data = s.manifest_data() | {"schema_version": version}
    atomic_write_bytes(
        root / s.MANIFEST,
        orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n",
    )


def _initialise(root: Path) -> None:
    (root / s.ANNOTATIONS).mkdir(parents=True, exist_ok=True)
    (root / s.LOCAL).mkdir(exist_ok=True)
    if not (root / s.GITIGNORE).exists():
        atomic_write_text(root / s.GITIGNORE, f"{s.LOCAL}/\n")
    if not (root / s.MANIFEST).exists():
        write_manifest(root)


def is_legacy_file(path: Path) -> bool:
    """Whether ``path`` looks like a version-0 database: one TinyDB JSON file with our tables."""
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return False
    return isinstance(data, dict) and bool({s.CODEBOOK_TABLE, s.ANNOTATIONS_TABLE} & data.keys())


def read_manifest(root: Path) -> dict:
    path = root / s.MANIFEST
    data = parse_json(path.read_bytes(), path)
    problem = s.manifest_problem(data)
    if problem:
        raise DatabaseCorrupt(f"{path}: {problem}; {s.DOCTOR_HINT}")
    return data  # type: ignore[return-value]


def open_folder(root: Path, *, readonly: bool, lock) -> bool:
    """Check (and unless ``readonly`` create or upgrade) the database folder; False if absent."""
    if root.exists() and not root.is_dir():
        if is_legacy_file(root):
            raise StoreError(
                f"{root} is a single-file database from an older speechreader; a database is now "
                "a folder: convert it with Store.migrate_legacy_file(old_file, new_folder)"
            )
        raise StoreError(
            f"{root} is a file, but the database must be a folder (created if missing)"
        )
    manifest = root / s.MANIFEST
    if not manifest.exists():
        if root.exists() and any(p.name not in (s.LOCAL, ".DS_Store") for p in root.iterdir()):
            raise StoreError(
                f"{root} is not a speechreader database (it has no {s.MANIFEST}) and is not empty; "
                "give a new or empty folder, or run `speechreader doctor` if the manifest was lost"
            )
        if readonly:
            return False
        try:
            root.mkdir(parents=True, exist_ok=True)
            _initialise(root)
        except OSError as exc:
            raise StoreError(f"cannot create the database {root}: {exc.strerror or exc}") from None
        return True
    version = read_manifest(root)["schema_version"]
    if version > s.SCHEMA_VERSION:  # an unknown version: DatabaseCorrupt, like any unreadable file
        raise DatabaseCorrupt(
            f"{manifest}: schema version {version} was written by a newer speechreader (this one "
            f"reads up to {s.SCHEMA_VERSION}); upgrade speechreader. Nothing was changed."
        )
    if version < s.SCHEMA_VERSION:
        if readonly:
            raise StoreError(
                f"{root} is schema version {version} and needs upgrading; "
                "open it once without read-only"
            )
        with lock.hold():
            _upgrade(root, read_manifest(root)["schema_version"])
    if not readonly:
        _initialise(root)
    return True


def _upgrade(root: Path, version: int) -> None:
    """Run the migrations from ``version`` to the current one (under the lock), backup first."""
    if version >= s.SCHEMA_VERSION:
        return  # another process upgraded it while we waited for the lock
    files = [
        p for p in root.rglob("*") if p.is_file() and s.LOCAL not in p.relative_to(root).parts[:1]
    ]
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    Backups(root, root / s.LOCAL / "backups").copy_tree(f"migration-v{version}-{stamp}", files)
    while version < s.SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise StoreError(
                f"{root}: no upgrade from schema version {version}; nothing was changed"
            )
        step(root)
        version += 1
        write_manifest(root, version)


@dataclass
class LegacyReport:
    tags: int = 0
    annotations: int = 0
    skipped: list[str] = field(default_factory=list)  # "record 7: why"


def migrate_legacy_file(src: Path, dst: Path, *, coder: str) -> LegacyReport:
    """Copy a version-0 single-file database into a new database folder ``dst``.

    The source is only read. Records keep their ids (or get new ones if they had
    none) and are grouped into one file per (coder, document); records without a coder
    are credited to ``coder``. Records that cannot be read are listed, not guessed.
    """
    src, dst = Path(src), Path(dst)
    data = parse_json(src.read_bytes(), src)
    if not isinstance(data, dict):
        raise DatabaseCorrupt(f"{src}: not a TinyDB database (the top level is not an object)")
    if dst.exists() and (not dst.is_dir() or any(dst.iterdir())):
        raise StoreError(f"{dst} already exists and is not empty; migrate into a new folder")
    dst.mkdir(parents=True, exist_ok=True)
    _initialise(dst)
    report = LegacyReport()
    atomic_write_bytes(dst / s.LOCAL / "backups" / "legacy" / src.name, src.read_bytes())

    def ordered(table: str) -> list[tuple[str, object]]:
        rows = data.get(table) or {}
        return sorted(
            rows.items(),
            key=lambda kv: (not kv[0].isdigit(), int(kv[0]) if kv[0].isdigit() else 0, kv[0]),
        )

    codebook: dict[str, dict] = {}
    for key, rec in ordered(s.CODEBOOK_TABLE):
        try:
            tag = Tag.from_json(rec)  # type: ignore[arg-type]
        except (KeyError, TypeError, AttributeError) as exc:
            report.skipped.append(f"codebook record {key}: {exc!r}")
            continue
        codebook.setdefault(tag.name, tag.to_json() | {"order": len(codebook)})
    files: dict[str, dict[str, dict]] = {}
    for key, rec in ordered(s.ANNOTATIONS_TABLE):
        try:
            ann = Annotation.from_json({"id": uuid.uuid4().hex[:12]} | rec)  # type: ignore[operator]
        except (KeyError, TypeError, ValueError) as exc:
            report.skipped.append(f"annotation record {key}: {exc!r}")
            continue
        ann.coder = ann.coder or coder
        problem = s.annotation_problem(ann.id, ann.to_json())
        if problem:
            report.skipped.append(f"annotation record {key}: {problem}")
            continue
        for name in ann.tags:
            if name not in codebook:
                colour = s.next_colour([t["colour"] for t in codebook.values()])
                codebook[name] = Tag(name, colour).to_json() | {"order": len(codebook)}
        rel = f"{s.ANNOTATIONS}/{safe_name(ann.coder)}/{safe_name(ann.doc_id)}.json"
        files.setdefault(rel, {})[ann.id] = ann.to_json()
        report.annotations += 1
    for rel, records in files.items():
        write_records_file(dst / rel, s.ANNOTATIONS_TABLE, records)
    write_records_file(dst / s.CODEBOOK, s.CODEBOOK_TABLE, codebook)
    report.tags = len(codebook)
    return report
