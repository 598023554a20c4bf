"""The annotation database: a codebook and annotations, in TinyDB JSON files.

See ARCHITECTURE.md ("The database") for the on-disk layout. In short: ``--db``
names a folder; inside, ``codebook.json`` and one TinyDB file per (coder, document)
under ``annotations/``, each written atomically (temp file, fsync, rename, folder
fsync), stable JSON (sorted keys, one record per line) so that git diffs are readable
and two coders' work never touches the same file. Every write takes a short exclusive
lock and re-reads what changed on disk, so two instances (TUI + CLI) never lose an
update. Undo/redo history persists in the database's ``local/`` folder.
"""

from __future__ import annotations
