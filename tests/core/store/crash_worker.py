"""A process that changes a database until it is killed (driven by test_crash.py).

    python crash_worker.py DB WORKER SEED MODE

(test_crash.py forks and calls :func:`main` instead, which saves the ~0.1 s of
interpreter start-up and imports per kill; the process is as separate either way.)
It prints ``READY`` once the database is open, then loops forever. Before each call
it prints ``BEGIN <op> ...``, and only after the call has returned
``ACK <op> <json>``: an acknowledged change is one the caller was told had been saved,
so it must survive the SIGKILL that will come at a random moment.

MODE ``mixed``: adds, updates (a new note) and deletes on a database shared with
another worker. Each worker only updates or deletes annotations it owns (initial ids
split by parity, plus the ones it added, whose notes start with ``w<WORKER>-``), but
both write into the same files, codebook, lock and undo history.

MODE ``big``: rewrites notes in one document with thousands of annotations, so that
each save writes a large file and kills often land in the middle of a write.
"""

from __future__ import annotations

import json
import os
import random
import sys

from speechreader.core.store import Store

TEXT = "我们要坚持以人民为中心的发展思想,推动经济社会高质量发展。" * 20
TAGS = ["经济", "党建", "民生", "安全", "生态"]


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def owned(ann_id: str, note: str, worker: int) -> bool:
    if note.startswith("w"):
        return note.startswith(f"w{worker}-")
    return int(ann_id, 16) % 2 == worker


def main(argv: list[str]) -> None:
    db, worker, seed, mode = argv[0], int(argv[1]), int(argv[2]), argv[3]
    rng = random.Random(seed)
    store = Store(db, coder="crash")
    docs = sorted(store.counts_by_document())
    if mode == "big":
        mine = [a.id for a in store.for_document(docs[0])]
    else:
        mine = [a.id for a in store.all() if owned(a.id, a.note, worker)]
    say("READY")
    seq = 0
    while True:
        seq += 1
        note = f"w{worker}-{os.getpid()}-{seq}"
        op = (
            "update" if mode == "big" else rng.choices(["add", "update", "delete"], [45, 35, 20])[0]
        )
        if op == "add" or not mine:
            start = rng.randrange(0, len(TEXT) - 30)
            say(f"BEGIN add {note}")
            ann = store.add(
                rng.choice(docs),
                start,
                start + rng.randrange(2, 30),
                text=TEXT,
                doc_hash="h",
                tags=rng.sample(TAGS, rng.randrange(0, 3)),
                note=note,
            )
            mine.append(ann.id)
            say("ACK add " + json.dumps(ann.to_json(), ensure_ascii=False))
        elif op == "update":
            ann_id = rng.choice(mine)
            say(f"BEGIN update {ann_id} {note}")
            ann = store.update(ann_id, note=note)
            say("ACK update " + json.dumps(ann.to_json(), ensure_ascii=False))
        else:
            ann_id = mine.pop(rng.randrange(len(mine)))
            say(f"BEGIN delete {ann_id}")
            store.delete([ann_id])
            say(f"ACK delete {ann_id}")


if __name__ == "__main__":
    main(sys.argv[1:])
