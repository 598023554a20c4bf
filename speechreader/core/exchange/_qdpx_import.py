"""Import a REFI-QDA project (.qdpx) as a new corpus folder and its annotations.

Order matters, so that a bad file changes nothing:

1. the whole archive is read and checked in memory (:func:`read_project`): a hostile
   or broken file stops here, before any folder exists;
2. the corpus is built in a hidden temporary folder beside ``DIR`` (one UTF-8 ``.txt``
   per text source, named safely from the source's name; ``metadata.csv`` from the
   variables) and renamed into place in one step;
3. the database gets the codebook (one undo step) and then every passage through the
   store's bulk import (a second step: one short lock and one sync for 20,000 files,
   three times faster than a transaction writing them one by one). If either fails,
   what was written is undone and the new folder removed.

The folder's file names and its writing are in :mod:`_qdpx_folder`. The report (what
was imported, what could not be carried by kind and count, what was skipped) is returned
and written to ``DIR/import-report.md``.
"""

from __future__ import annotations

import contextlib
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from speechreader.core.corpus import content_hash
from speechreader.core.errors import InvalidInput, SpeechreaderError, UnreadableFile
from speechreader.core.exchange._codebook_csv import CodebookImport, apply_codebook
from speechreader.core.exchange._qdpx_export import HIGHLIGHT_NAME
from speechreader.core.exchange._qdpx_folder import (
    METADATA_FILE,
    SourceNames,
    check_target,
    metadata_csv,
    write_folder,
)
from speechreader.core.exchange._qdpx_read import Passage, RefiProject, Source, read_project
from speechreader.core.exchange._refi_xml import as_guid, guid_for
from speechreader.core.fileio import atomic_write_text
from speechreader.core.store import HIGHLIGHTS, Annotation, make_anchor, plural
from speechreader.core.text import decode_bytes

if TYPE_CHECKING:
    from speechreader.core.store import Store

REPORT_FILE = "import-report.md"


@dataclass
class ImportReport:
    folder: Path
    db: Path
    project: str = ""
    origin: str = ""
    documents: int = 0
    passages: int = 0
    coders: list[str] = field(default_factory=list)
    codebook: CodebookImport | None = None
    not_carried: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    changed: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        codes = self.codebook.summary() if self.codebook else "no codes"
        return (
            f"imported {plural(self.documents, 'document')} and "
            f"{plural(self.passages, 'passage')} by {plural(len(self.coders), 'coder')} "
            f"into {self.folder}; codebook: {codes}"
        )

    def problems(self) -> list[str]:
        lines = [f"not carried over: {kind} ({n})" for kind, n in sorted(self.not_carried.items())]
        lines += [f"skipped: {why} ({n})" for why, n in sorted(self.skipped.items())]
        lines += [f"changed: {what} ({n})" for what, n in sorted(self.changed.items())]
        if self.codebook:
            lines += [f"codebook: {p}" for p in self.codebook.rejected]
            lines += self.codebook.notes
        return lines + self.notes

    def text(self, source: Path) -> str:
        out = [
            f"# Import of {source.name}",
            "",
            f"- project: {self.project or '(no name)'} (made by {self.origin or 'unknown'})",
            f"- corpus folder: {self.folder}",
            f"- database: {self.db}",
            f"- {self.summary()}",
        ]
        problems = self.problems()
        out += ["", "## What could not be carried over or was changed", ""]
        out += [f"- {line}" for line in problems] or ["- nothing: everything was imported"]
        return "\n".join(out) + "\n"


# --- passages -> annotations -----------------------------------------------------------


def _coder_names(project: RefiProject, default: str) -> dict[str | None, str]:
    names: dict[str | None, str] = {None: default}
    taken: set[str] = set()
    for guid, raw in project.users.items():
        name = " ".join(raw.split()) or f"user-{guid[:8]}"
        unique, n = name, 2
        while unique in taken:
            unique, n = f"{name} ({n})", n + 1
        taken.add(unique)
        names[guid] = unique
    return names


def _annotations(
    source: Source,
    doc_id: str,
    text: str,
    doc_hash: str,
    tags: dict[str, str],
    coders: dict[str | None, str],
    report: ImportReport,
    ids: set[str],
) -> list[Annotation]:
    out = []
    for p in source.passages:
        groups: dict[str | None, list[str]] = {}
        created: dict[str | None, str] = {}
        for coding in p.codings:
            name = tags.get(coding.code)
            if name is None:
                report.skipped["codings of codes missing from the codebook"] += 1
                continue
            user = coding.user if coding.user in coders else p.user
            groups.setdefault(user, [])
            if name not in groups[user]:
                groups[user].append(name)
            created.setdefault(user, coding.created)
        if not groups:
            groups[p.user] = []
        owner = p.user if p.user in groups else next(iter(groups))
        for user, names in groups.items():
            ann_id = _passage_id(p, user, owner, ids)
            if user is None or user not in coders:
                report.changed[f"passages whose coder is unknown, given to {coders[None]}"] += 1
            out.append(_annotation(p, ann_id, doc_id, text, doc_hash, names, coders, user))
            if user != owner and created.get(user):
                out[-1].created = created[user]
    return out


def _passage_id(p: Passage, user: str | None, owner: str | None, ids: set[str]) -> str:
    base = as_guid(p.guid) or guid_for("selection", p.guid)
    ann_id = base if user == owner else guid_for("selection-user", f"{base}:{user}")
    n = 2
    while ann_id in ids:  # the same GUID twice in a file
        ann_id, n = guid_for("duplicate", f"{base}:{user}:{n}"), n + 1
    ids.add(ann_id)
    return ann_id


def _annotation(p, ann_id, doc_id, text, doc_hash, names, coders, user) -> Annotation:
    anchor = make_anchor(text, p.start, p.end)
    highlight = None
    if p.name.lower().startswith(HIGHLIGHT_NAME):
        colour = p.name[len(HIGHLIGHT_NAME) :].strip().lower()
        highlight = colour if colour in HIGHLIGHTS else None
    return Annotation(
        id=ann_id,
        doc_id=doc_id,
        start=p.start,
        end=p.end,
        quote=anchor.quote,
        prefix=anchor.prefix,
        suffix=anchor.suffix,
        tags=names,
        highlight=highlight,
        note="\n\n".join(dict.fromkeys(p.memo)),
        coder=coders.get(user, coders[None]),
        created=p.created,
        updated=p.updated,
        doc_hash=doc_hash,
    )


# --- the whole import -----------------------------------------------------------------


def import_qdpx(
    path: Path | str, folder: Path | str, db: Path | str, *, coder: str | None = None
) -> ImportReport:
    """Import ``path`` as the corpus ``folder`` (new or empty) and into the database ``db``.

    The database is opened (created if need be) only once the project has been read
    and checked and the folder made, so a file that cannot be imported changes nothing.
    ``coder`` (default: the configured one) gets passages whose coder is unknown.
    """
    from speechreader.core.store import Store

    path, folder, db = Path(path), Path(folder).expanduser(), Path(db).expanduser()
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}")
    check_target(folder)
    project = read_project(path)
    report = ImportReport(folder, db, project.name, project.origin)
    report.not_carried.update(project.not_carried)
    report.skipped.update(project.skipped)
    report.notes.extend(project.codes.notes)

    names = SourceNames()
    rels = {s.guid: names.path_for(s.name) for s in project.sources}
    files = {rels[s.guid]: s.text for s in project.sources}
    metadata, notes = metadata_csv(project, rels)
    report.notes.extend(notes)
    if metadata:
        files[METADATA_FILE] = metadata
    readable = _readable(project, rels, report)
    check_target(folder)
    write_folder(folder, files)
    try:
        with Store(db, coder=coder) as store:
            _fill(project, readable, rels, store, report)
        atomic_write_text(folder / REPORT_FILE, report.text(path))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return report


def _readable(project: RefiProject, rels: dict[str, str], report: ImportReport) -> dict[str, str]:
    """Source GUID -> content hash, for the texts the corpus will read exactly as written.

    The corpus decodes each file as it does any (:func:`decode_bytes`); a text it would
    refuse (mostly control characters: "binary") or read differently is still written
    to the folder, but its passages cannot point into it and are reported.
    """
    hashes = {}
    for source in project.sources:
        try:
            ok = decode_bytes(source.text.encode("utf-8"), name=rels[source.guid]).text
        except UnreadableFile:
            ok = None
        if ok != source.text:
            report.not_carried["text sources speechreader cannot read as text"] += 1
            report.skipped["passages in text sources speechreader cannot read"] += len(
                source.passages
            )
            continue
        hashes[source.guid] = content_hash(source.text)
    return hashes


def _fill(
    project: RefiProject,
    readable: dict[str, str],
    rels: dict[str, str],
    store: Store,
    report: ImportReport,
) -> None:
    tags = project.codes.by_guid()
    coders = _coder_names(project, store.coder)
    ids: set[str] = set()
    annotations: list[Annotation] = []
    for source in project.sources:
        if source.guid not in readable:
            continue
        doc_id = rels[source.guid][:-4]
        report.documents += 1
        annotations += _annotations(
            source, doc_id, source.text, readable[source.guid], tags, coders, report, ids
        )
    label = f"import codebook of {project.name or 'a .qdpx project'}"
    before = store.history.labels()[0][-1:]
    try:
        # The codebook first, in its own order with colours, descriptions and parents;
        # then the passages through the store's bulk import (one short lock, one sync):
        # two undo steps, as a step per passage-by-passage transaction took 3x longer.
        with store.batch(label):
            rows = [c.row() for c in project.codes.codes]
            report.codebook = apply_codebook(
                store, rows, project.codes.problems, "import codebook", unit="code"
            )
        if annotations:
            with store.bulk_import() as bulk:
                for ann in annotations:
                    try:
                        bulk.add(ann.to_json())
                    except SpeechreaderError as exc:
                        bulk.refuse(ann.id, [0], str(exc))
                        report.skipped[f"passages the database refused ({exc})"] += 1
                result = bulk.commit()
            report.passages = result.added + result.updated + result.unchanged
    except SpeechreaderError:
        _take_back(store, before, label)
        raise
    report.coders = sorted({a.coder for a in annotations})


def _take_back(store: Store, before: list[str], label: str) -> None:
    """Undo what a failed import wrote (its one undo step), if it wrote anything."""
    with contextlib.suppress(SpeechreaderError):
        step = store.history.peek("undo")
        if step is not None and [step.id] != before and step.label == label:
            store.undo()
