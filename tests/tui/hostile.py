"""A corpus and a database whose every piece of text is hostile: markup and escapes.

Shared by the literal-text test, the monkey test and a look at the app by hand
(``python -m tests.tui.hostile DIR`` writes the corpus and database there).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from speechreader.core.corpus import Corpus
from speechreader.core.store import Store

#: What must be shown as written, never obeyed: Rich markup, a link, escapes, a bell.
CLOSE = "[/]"
LINK = "[@click=app.quit]x[/]"
BOLD = "[bold]"
ESC = "\x1b[31m"
BELL = "\x07"

TITLE_CLOSE = "关于[/]问题的报告"  # first line of a file
TITLE_LINK = "[@click=app.quit]点我退出[/]"  # first line of a file
TITLE_META = "[bold]粗体\x1b[31m红字\x07响铃"  # from metadata.csv
SPEAKER = "[/]某人"
PLACE = "[@click=app.quit]x[/]地方"
CODER = "[/]coder\x1b"  # who coded the database's annotations
FILE_NAME = "c[bold]\x1b[31m\x07.txt"  # a hostile file name (the metadata gives the title)
SKIPPED_NAME = "e[@click=app.quit]x\x1b.txt"  # empty: listed as skipped

#: Tags, with a description and a parent that are hostile too.
TAGS = [
    (CLOSE, "描述 [/] 结束", None),
    (LINK, "[@click=app.quit]描述[/]", None),
    (BOLD, "粗 \x1b[31m 红", CLOSE),
    ("红\x1b[31m", "铃\x07", None),
]
NOTE = "备注 [/] [@click=app.quit]退出[/]\n第二行 \x1b[31m \x07"

BODY = (
    "各位同志：今天我们开会，讨论发展问题。[/]这不是标记。\n"
    "第二段：要坚持发展，[@click=app.quit]点我[/]，[bold]不粗[/bold]。\n"
    "第三段：干部要有担当，敢于作为，主动作为。\n"
)


def write_corpus(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "a.txt").write_text(f"{TITLE_CLOSE}\n{BODY}", encoding="utf-8")
    (root / "b.txt").write_text(f"{TITLE_LINK}\n{BODY}", encoding="utf-8")
    (root / FILE_NAME).write_text(f"第一行\n{BODY}", encoding="utf-8")
    (root / SKIPPED_NAME).write_bytes(b"")
    with open(root / "metadata.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "title", "date", "speaker", "place"])
        writer.writerow([FILE_NAME, TITLE_META, "2020-01-01", SPEAKER, PLACE])
        writer.writerow(["a.txt", "", "2019-05-04", "[bold]", ""])
    return root


def write_database(corpus_root: Path, db: Path) -> None:
    """The hostile codebook, and a noted annotation on each document's first sentence."""
    corpus = Corpus.load(corpus_root)
    with Store(db, coder=CODER) as store:
        for name, description, parent in TAGS:
            store.add_tag(name, description=description, parent=parent)
        for index, info in enumerate(corpus.documents):
            text = corpus.text(info.id)
            start = text.index("各位")
            store.add(
                info.id, start, start + 6, text=text, doc_hash=info.content_hash,
                tags=[TAGS[index % len(TAGS)][0]], note=NOTE,
            )  # fmt: skip


if __name__ == "__main__":
    target = Path(sys.argv[1])
    write_corpus(target / "corpus")
    write_database(target / "corpus", target / "db.srdb")
    print(target / "corpus", target / "db.srdb")
