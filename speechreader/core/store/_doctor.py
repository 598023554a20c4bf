"""Check a database folder and repair what can be repaired, never deleting data.

:func:`check_database` reads every file and reports :class:`Finding` s without changing
anything. :func:`repair_database` (under the write lock) fixes what it can:

- a broken file (emptied, truncated, not JSON, wrong types) is moved aside to
  ``local/broken/<path>.<time>`` and rebuilt from its newest good backup, the undo
  history of every coder and every record that can still be read from it
  (:mod:`_rebuild`); records known to have been in it that none of these can give
  back are reported by id (:attr:`RepairReport.lost`);
- records in the wrong file move to the file of their coder and document;
- a missing or broken manifest is written again; tags used but missing from the
  codebook are added; parents that do not exist are cleared; temporary files left
  by killed writers are removed; a change a killed writer left half-renamed is
  finished;
- a damaged undo history is reported, and repaired from its step files
  (:mod:`_history_check`).

A manifest from a newer speechreader is never touched.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from speechreader.core.config import load_settings
from speechreader.core.errors import SpeechreaderError
from speechreader.core.fileio import TEMP_PREFIX, atomic_write_bytes
from speechreader.core.store import _schema as s
from speechreader.core.store._commit import recover
from speechreader.core.store._history_check import check_history, repair_history
from speechreader.core.store._locking import DbLock
from speechreader.core.store._migrate import is_legacy_file, read_manifest, write_manifest
from speechreader.core.store._names import safe_name
from speechreader.core.store._rebuild import history_events, known_ids, rebuild
from speechreader.core.store._records import Tag
from speechreader.core.store._staging import STAGING, clean_staging
from speechreader.core.store._storage import Backups, load_file, write_records_file
from speechreader.core.store._summary import annotation_files


@dataclass(frozen=True)
class Finding:
    path: str  # inside the database folder ("" for the folder itself)
    severity: str  # "error" (work is blocked) | "warning"
    message: str
    repairable: bool

    def __str__(self) -> str:
        return f"{self.severity}: {self.path or '.'}: {self.message}"


@dataclass
class RepairReport:
    actions: list[str] = field(default_factory=list)
    unresolved: list[Finding] = field(default_factory=list)
    #: records known to have existed that no source could give back, one line per file
    lost: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no error is left and nothing was lost (warnings may remain)."""
        return not self.lost and not any(f.severity == "error" for f in self.unresolved)

    def lines(self) -> list[str]:
        """What was done, what was lost, then what is still wrong, one line each (for the CLI)."""
        done = [f"repaired: {a}" for a in self.actions] or ["nothing could be repaired"]
        lost = [f"lost: {line}" for line in self.lost]
        return done + lost + [f"not repaired: {f}" for f in self.unresolved]


def _data_files(root: Path) -> list[tuple[str, str, object]]:
    """``(relative path, table, check)`` of the codebook, every annotation and done file."""
    files: list[tuple[str, str, object]] = [(s.CODEBOOK, s.CODEBOOK_TABLE, s.codebook_check)]
    for rel, coder, stem in annotation_files(root):
        files.append((rel, s.ANNOTATIONS_TABLE, s.annotation_file_check(coder, stem)))
    if (root / s.DONE).is_dir():
        for path in sorted((root / s.DONE).glob("*.json")):
            if not path.name.startswith((TEMP_PREFIX, ".")):
                rel = f"{s.DONE}/{path.name}"
                files.append((rel, s.DONE_TABLE, s.done_file_check(path.stem)))
    return files


def looks_like_database(root: Path) -> bool:
    """Whether a folder without a manifest is a database that lost it (else: leave it alone).

    A database always has its codebook or its annotations folder; a folder with neither
    (someone's home folder, a corpus given to ``--db`` by mistake) gets no manifest.
    """
    return (root / s.CODEBOOK).is_file() or (root / s.ANNOTATIONS).is_dir()


_PROBLEMS = {
    s.CODEBOOK_TABLE: s.tag_problem,
    s.ANNOTATIONS_TABLE: s.annotation_problem,
    s.DONE_TABLE: s.done_problem,
}


def _proper_file(table: str, rec: dict) -> str:
    """Where a record belongs: its coder's (and document's) file."""
    if table == s.DONE_TABLE:
        return f"{s.DONE}/{safe_name(rec['coder'])}.json"
    return f"{s.ANNOTATIONS}/{safe_name(rec['coder'])}/{safe_name(rec['doc_id'])}.json"


def _temp_files(root: Path) -> list[Path]:
    """Temporary files of interrupted saves (an import's staging folder is its own)."""
    staging = root / STAGING
    return [
        p for p in root.rglob(f"{TEMP_PREFIX}*") if p.is_file() and not p.is_relative_to(staging)
    ]


def check_database(path: Path | str) -> list[Finding]:
    """Everything wrong with the database at ``path``; an empty list means healthy."""
    root = Path(path).expanduser()
    if not root.exists():
        return [Finding("", "error", f"{root} does not exist", False)]
    if not root.is_dir():
        what = (
            "a single-file database of an older speechreader" if is_legacy_file(root) else "a file"
        )
        return [Finding("", "error", f"{root} is {what}, not a database folder", False)]
    found: list[Finding] = []
    if not (root / s.MANIFEST).exists():
        if not looks_like_database(root):
            msg = (
                f"{root} is not a speechreader database (it has no {s.MANIFEST}, "
                f"{s.CODEBOOK} or {s.ANNOTATIONS}/ folder); nothing was changed"
            )
            return [Finding("", "error", msg, False)]
        found.append(Finding(s.MANIFEST, "error", "the manifest is missing", True))
    else:
        try:
            version = read_manifest(root)["schema_version"]
            if version > s.SCHEMA_VERSION:
                msg = f"schema version {version} is newer than this speechreader reads"
                return [Finding(s.MANIFEST, "error", msg, False)]
            if version < s.SCHEMA_VERSION:
                found.append(
                    Finding(
                        s.MANIFEST,
                        "warning",
                        f"schema version {version}: upgraded when opened",
                        True,
                    )
                )
        except SpeechreaderError as exc:
            found.append(Finding(s.MANIFEST, "error", str(exc), True))
    tags: dict[str, dict] = {}
    used: dict[str, int] = defaultdict(int)
    where: dict[str, list[str]] = defaultdict(list)
    for rel, table, file_check in _data_files(root):
        try:
            loaded = load_file(root / rel, file_check)  # type: ignore[arg-type]
        except SpeechreaderError as exc:
            found.append(Finding(rel, "error", str(exc), True))
            continue
        records = loaded[1].get(table, {}) if loaded else {}  # type: ignore[union-attr]
        if table == s.CODEBOOK_TABLE:
            tags = records
            continue
        if table == s.DONE_TABLE:
            continue
        for key, rec in records.items():
            where[key].append(rel)
            for tag in rec.get("tags", ()):
                used[tag] += 1
    for key, rels in sorted(where.items()):
        if len(rels) > 1:
            found.append(
                Finding(
                    rels[0], "warning", f"annotation {key} is also in {', '.join(rels[1:])}", False
                )
            )
    for tag in sorted(set(used) - set(tags)):
        found.append(
            Finding(
                s.CODEBOOK,
                "warning",
                f"tag {tag!r} is used by {used[tag]} annotations but missing",
                True,
            )
        )
    for name, rec in sorted(tags.items()):
        if rec.get("parent") and rec["parent"] not in tags:
            found.append(
                Finding(
                    s.CODEBOOK,
                    "warning",
                    f"tag {name!r} has unknown parent {rec['parent']!r}",
                    True,
                )
            )
    for temp in _temp_files(root):
        found.append(
            Finding(
                str(temp.relative_to(root)),
                "warning",
                "temporary file left by an interrupted save",
                True,
            )
        )
    found += [Finding(*problem) for problem in check_history(root)]
    return found


def repair_database(path: Path | str) -> RepairReport:
    """Repair the database at ``path`` (see the module docstring); broken files are kept aside."""
    root = Path(path).expanduser()
    report = RepairReport()
    first = check_database(root)
    if any(not f.repairable and f.path in ("", s.MANIFEST) for f in first):
        report.unresolved = first
        return report
    lock = DbLock(root / s.LOCAL / "lock", name=str(root), timeout=load_settings().lock_timeout)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    backups = Backups(root, root / s.LOCAL / "backups")
    with lock.hold():
        if recover(root):
            report.actions.append("finished a change that was interrupted while being saved")
        if clean_staging(root):
            report.actions.append("removed what an interrupted import had prepared")
        for temp in _temp_files(root):
            temp.unlink(missing_ok=True)
            report.actions.append(f"removed the temporary file {temp.relative_to(root)}")
        try:
            read_manifest(root)
        except (SpeechreaderError, FileNotFoundError):
            _set_aside(root, s.MANIFEST, stamp, report)
            write_manifest(root)
            report.actions.append(f"wrote a new {s.MANIFEST}")
        misplaced: dict[str, dict[str, dict]] = defaultdict(dict)
        broken = []
        for rel, table, file_check in _data_files(root):
            try:
                load_file(root / rel, file_check)  # type: ignore[arg-type]
            except SpeechreaderError:
                broken.append((rel, table, file_check))
        events, history_note = history_events(root, {rel for rel, *_ in broken})
        known = known_ids(root)
        for rel, table, file_check in broken:
            done = rebuild(
                root, rel, table, file_check, _PROBLEMS[table], backups, events,  # type: ignore[arg-type]
                known.get(rel, set()),
            )  # fmt: skip
            records = done.records
            if table != s.CODEBOOK_TABLE:
                for key, rec in list(records.items()):
                    proper = _proper_file(table, rec)
                    if proper != rel:
                        misplaced[proper][key] = records.pop(key)
            aside = _set_aside(root, rel, stamp, report)
            source = f"the backup of {done.backup.stem}" if done.backup else "no backup"
            write_records_file(root / rel, table, records)
            report.actions.append(
                f"rebuilt {rel} with {len(records)} records ({done.from_file} read from the "
                f"broken file, {done.from_history} from the undo history, {done.from_backup} "
                f"from {source}); the broken file is kept as {aside}"
            )
            if history_note:
                report.actions.append(f"note: {history_note}; its steps were all taken as done")
            if done.lost:
                report.lost.append(
                    f"{rel}: {len(done.lost)} records could not be recovered (not in the file, "
                    f"its backups or the undo history): {', '.join(done.lost)}"
                )
        for rel, moved in misplaced.items():
            table = s.file_kind(rel)
            loaded = load_file(root / rel, None)
            current = loaded[1].get(table, {}) if loaded else {}  # type: ignore[union-attr]
            backups.maybe_backup(root / rel, force=True)
            write_records_file(root / rel, table, moved | current)
            what = "done marks" if table == s.DONE_TABLE else "annotations"
            report.actions.append(f"moved {len(moved)} {what} into {rel}, where they belong")
        _repair_codebook(root, report, backups)
        report.actions += repair_history(root, stamp)
        lock.bump()
    lock.close()
    report.unresolved = check_database(root)
    return report


def _set_aside(root: Path, rel: str, stamp: str, report: RepairReport) -> str:
    source = root / rel
    if not source.exists():
        return ""
    aside = root / s.LOCAL / "broken" / f"{rel}.{stamp}"
    atomic_write_bytes(aside, source.read_bytes())
    return str(aside.relative_to(root))


def _repair_codebook(root: Path, report: RepairReport, backups: Backups) -> None:
    loaded = load_file(root / s.CODEBOOK, s.codebook_check)
    book = dict(loaded[1].get(s.CODEBOOK_TABLE, {})) if loaded else {}  # type: ignore[union-attr]
    used: dict[str, None] = {}
    for rel, *_ in annotation_files(root):
        found = load_file(root / rel, None)
        for rec in (found[1].get(s.ANNOTATIONS_TABLE, {}) if found else {}).values():  # type: ignore[union-attr]
            used.update(dict.fromkeys(rec.get("tags", ())))
    changed = False
    for name in used:
        if name not in book:
            colour = s.next_colour([r.get("colour", "") for r in book.values()])
            order = max((r.get("order", 0) for r in book.values()), default=-1) + 1
            book[name] = Tag(name, colour).to_json() | {"order": order}
            report.actions.append(f"added the missing tag {name!r} to the codebook")
            changed = True
    for name, rec in book.items():
        if rec.get("parent") and rec["parent"] not in book:
            book[name] = rec | {"parent": None}
            report.actions.append(f"cleared the unknown parent of tag {name!r}")
            changed = True
    if changed:
        backups.maybe_backup(root / s.CODEBOOK, force=True)
        write_records_file(root / s.CODEBOOK, s.CODEBOOK_TABLE, book)
