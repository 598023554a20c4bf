"""How fast the TUI feels: start-up, opening the 45 KB speech, a key on a 2 MB document.

    python bench/bench_tui.py [--only startup,open,keys] [--runs 5] [--corpus DIR]
                              [--doc DOC_ID] [--big-doc DOC_ID] [--db DIR]

- start-up: a fresh ``python -m speechreader`` process (headless Textual driver)
  until the library table is filled and interactive, warm caches; the wall time
  includes interpreter start and every import.
- open: ``app.open_document`` until a frame has been written in which *both* panes
  drew the document's first row (in-process, Pilot), the 45 KB sample speech.
- keys: on a 2 MB document (the sample speeches repeated, made in a temporary corpus
  unless ``--big-doc`` names one of ``--corpus``), each key sent as the terminal
  driver sends it, one after another, until the repainted frame is written: cursor and
  selection keys, word motion, PageDown/PageUp, paragraph motion; after segmentation
  has arrived (a key while jieba runs in its worker is reported apart).

Each figure is the median over ``--runs`` runs (a fresh app each run) of that run's
median (and of its maximum, for the keys): the machine is shared and noisy.

Targets (issue 14): start-up ≤ 0.5 s, open ≤ 100 ms, a key on 2 MB: median ≤ 30 ms,
max ≤ 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STARTUP_SCRIPT = r"""
import sys, time
from pathlib import Path
from speechreader.tui.app import SpeechreaderApp
from speechreader.tui.session import Session
from speechreader.tui.screens.library import LibraryScreen

class Timed(SpeechreaderApp):
    def on_ready(self) -> None:
        self.set_interval(0.005, self._check)

    def _check(self) -> None:
        screen = self.screen
        if isinstance(screen, LibraryScreen) and screen.table.row_count > 0:
            sys.__stdout__.write(f"{time.time()}\n")  # interactive now; the exit is not felt
            sys.__stdout__.flush()
            self.exit()

Timed(Session(Path(sys.argv[1]), Path(sys.argv[2]))).run(headless=True)
"""


def bench_startup(
    corpus: Path, db: Path, repeat: int, env: dict[str, str]
) -> tuple[list[float], list[float]]:
    """Times from launch to a filled library table (what a user waits for), and to the
    process's end (the app's exit and the interpreter's teardown added)."""
    ready, whole = [], []
    for index in range(repeat + 1):  # the first run warms the caches
        launched = time.time()
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", STARTUP_SCRIPT, str(corpus), str(db)],
            check=True, env=env, capture_output=True, text=True,
        )  # fmt: skip
        elapsed = time.perf_counter() - start
        if index:
            whole.append(elapsed)
            ready.append(float(done.stdout.split()[-1]) - launched)
    return ready, whole


OPEN_KEYS = ["right", "shift+right", "w", "down", "shift+down", "b", "pagedown", "up"]
#: the keys timed on the big document: each is pressed many times per run
BIG_KEYS = [
    "pagedown", "w", "right", "pagedown", "shift+right", "b", "down", "pagedown",
    "ctrl+right", "shift+down", "pagedown", "up", "right_curly_bracket", "pageup",
    "ctrl+left", "pagedown", "left", "shift+left", "escape",
]  # fmt: skip


def write_big_document(corpus: Path, megabytes: float = 2.0) -> str:
    """A document of about ``megabytes`` of UTF-8 made of the sample speeches, repeated."""
    parts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]
    chunk = "\n".join(parts)
    copies = max(1, round(megabytes * 1e6 / len(chunk.encode("utf-8"))))
    (corpus / "big-document.txt").write_text(chunk * copies, encoding="utf-8")
    return "big-document"


class _Frames:
    """Records when a frame reaches the (headless) terminal."""

    def __init__(self, app) -> None:
        self.last = 0.0
        self.last_cpu = 0.0  # the process's CPU time then (all its threads)
        self.cpu: list[float] = []  # CPU seconds of each measured wait, in order
        original = app._display

        def display(screen, renderable) -> None:
            original(screen, renderable)
            self.last = time.perf_counter()
            self.last_cpu = time.process_time()

        app._display = display  # type: ignore[method-assign]

    async def after(self, start: float, check=lambda: True, seconds: float = 60.0) -> float:
        """Seconds from ``start`` to the first frame written after it when ``check()``.

        The CPU time the process spent meanwhile goes to :attr:`cpu`: on a shared,
        loaded machine the wall time also counts the waits for a core.
        """
        cpu_start = time.process_time()
        while not (self.last > start and check()):
            if time.perf_counter() - start > seconds:
                raise TimeoutError("no frame")
            await asyncio.sleep(0.0005)
        self.cpu.append(self.last_cpu - cpu_start)
        return self.last - start


async def _library_ready(app, pilot) -> None:
    from speechreader.tui.screens.library import LibraryScreen

    while not (isinstance(app.screen, LibraryScreen) and app.screen.table.row_count > 0):
        await pilot.pause(0.02)
    await pilot.pause(0.2)


def _both_panes_at_top(app) -> bool:
    from speechreader.tui.screens.reader import ReaderScreen

    screen = app.screen
    if not isinstance(screen, ReaderScreen) or screen.state is None or screen._pending:
        return False
    left, right = screen.reader.panes
    return left.painted_top_row == right.painted_top_row == 0


async def bench_open(
    corpus: Path, db: Path, doc_id: str, opens: int
) -> tuple[list[float], list[float]]:
    """One run: the document opened ``opens`` times (from the library), each timed
    (wall, and the process's CPU time)."""
    from speechreader.tui.app import SpeechreaderApp
    from speechreader.tui.session import Session

    app = SpeechreaderApp(Session(corpus, db))
    times: list[float] = []
    cpu: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        frames = _Frames(app)
        await _library_ready(app, pilot)
        for _ in range(opens):
            reader = app.prepare_reader()
            if reader.is_mounted:
                for pane in reader.reader.panes:
                    pane.painted_top_row = -1  # what the previous document drew
            start = time.perf_counter()
            app.open_document(doc_id)
            times.append(await frames.after(start, lambda: _both_panes_at_top(app)))
            cpu.append(frames.cpu[-1])
            await pilot.pause(0.3)  # segmentation arrives
            for key in OPEN_KEYS:
                await pilot.press(key)
            app.pop_screen()
            await pilot.pause(0.1)
    return times, cpu


async def bench_keys(
    corpus: Path, db: Path, doc_id: str, rounds: int
) -> tuple[list[float], list[float], dict[str, float], list[float]]:
    """One run on the big document: (key times after segmentation, key times while
    jieba still runs, the slowest time per key name, CPU time of each key after)."""
    from textual import events

    from speechreader.tui.app import SpeechreaderApp
    from speechreader.tui.session import Session

    app = SpeechreaderApp(Session(corpus, db))
    after: list[float] = []
    during: list[float] = []
    slowest: dict[str, float] = {}
    async with app.run_test(size=(200, 60)) as pilot:
        frames = _Frames(app)
        await _library_ready(app, pilot)
        app.open_document(doc_id)
        await frames.after(time.perf_counter() - 1, lambda: _both_panes_at_top(app), 300)
        reader = app.screen

        async def press(key: str, into: list[float]) -> None:
            # As the terminal driver sends a key (Pilot's press() also waits for the
            # whole app to go idle, which is not what a person waits for).
            start = time.perf_counter()
            app._driver.send_message(events.Key(key, None))
            elapsed = await frames.after(start)
            into.append(elapsed)
            slowest[key] = max(slowest.get(key, 0.0), elapsed)
            await pilot.pause()

        while not reader.state.segmented:
            for key in ("w", "pagedown", "b"):
                await press(key, during)
        await pilot.pause(0.2)
        slowest.clear()
        first = len(frames.cpu)
        for _ in range(rounds):
            for key in BIG_KEYS:
                await press(key, after)
        cpu = frames.cpu[first:]
    return after, during, slowest, cpu


def _fmt(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return (
        f"median {statistics.median(values) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms   "
        f"max {max(values) * 1000:7.1f} ms   (n={len(values)})"
    )


def _ms(value: float) -> str:
    return f"{value * 1000:.1f} ms"


def _runs(label: str, per_run: list[list[float]], target: str) -> str:
    medians = [statistics.median(values) for values in per_run]
    maxima = [max(values) for values in per_run]
    return (
        f"{label}: median {_ms(statistics.median(medians))}, max {_ms(statistics.median(maxima))}"
        f"   (medians over {len(per_run)} runs of {len(per_run[0])}; per-run medians "
        f"{' '.join(f'{m * 1000:.0f}' for m in medians)} ms, maxima "
        f"{' '.join(f'{m * 1000:.0f}' for m in maxima)} ms)   target {target}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="startup,open,keys", help="which parts, by name")
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--doc", default="undated_three-level-cadres-conference")
    parser.add_argument("--big-doc", default=None, help="a 2 MB document of --corpus")
    parser.add_argument("--runs", "--repeat", type=int, default=5, dest="runs")
    parser.add_argument("--opens", type=int, default=5, help="opens per run")
    parser.add_argument("--rounds", type=int, default=8, help="rounds of the keys per run")
    parser.add_argument(
        "--db", type=Path, default=None,
        help="an existing database to open (e.g. 100,000 annotations from bench_store.populate)",
    )  # fmt: skip
    args = parser.parse_args()
    parts = set(args.only.split(","))
    from speechreader.core.paths import sample_corpus_path

    print(f"load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        env.setdefault("SPEECHREADER_CACHE_DIR", str(Path(tmp) / "cache"))
        env.setdefault("SPEECHREADER_STATE_DIR", str(Path(tmp) / "state"))
        os.environ.update(env)
        # A user's speechreader runs from bytecode (pip compiles it on install; an editable
        # install writes it on first use): the start-up's warm-up run writes it here too.
        # A machine that forbids .pyc files would time compiling every module (~0.15 s).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        corpus = args.corpus or sample_corpus_path()
        db = args.db or Path(tmp) / "bench.srdb"
        print(f"corpus: {corpus}   database: {args.db or 'new, empty'}")
        if "startup" in parts:
            startup, whole = bench_startup(corpus, db, args.runs, env)
            print(f"start-up to interactive library (warm): {_fmt(startup)}   target ≤ 500 ms")
            print(f"  the whole process, exit included: {_fmt(whole)}")
        if "open" in parts:
            opens = [
                asyncio.run(bench_open(corpus, db, args.doc, args.opens)) for _ in range(args.runs)
            ]
            label = f"open {args.doc}, both panes painted"
            print(_runs(label, [wall for wall, _ in opens], "≤ 100 ms"))
            print(_runs("  its CPU time (the process, all threads)", [c for _, c in opens], "-"))
        if "keys" in parts:
            big_corpus, big_doc = corpus, args.big_doc
            if big_doc is None:
                big_corpus = Path(tmp) / "big"
                shutil.copytree(sample_corpus_path(), big_corpus)
                big_doc = write_big_document(big_corpus)
            size = len(next(big_corpus.glob(f"{big_doc}.*")).read_bytes())
            runs = [
                asyncio.run(bench_keys(big_corpus, Path(tmp) / "big.srdb", big_doc, args.rounds))
                for _ in range(args.runs)
            ]
            label = f"a key on {big_doc} ({size / 1e6:.1f} MB)"
            print(_runs(label, [run[0] for run in runs], "median ≤ 30 ms, max ≤ 100 ms"))
            print(
                _runs("  their CPU time (the process, all threads)", [run[3] for run in runs], "-")
            )
            during = [run[1] for run in runs if run[1]]
            if during:
                print(_runs("  the same while jieba segments it (a worker)", during, "-"))
            worst: dict[str, list[float]] = {}
            for run in runs:
                for key, value in run[2].items():
                    worst.setdefault(key, []).append(value)
            print("  slowest per key (median over runs):", ", ".join(
                f"{key} {statistics.median(v) * 1000:.0f}" for key, v in sorted(worst.items())
            ))  # fmt: skip
    print(f"load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
