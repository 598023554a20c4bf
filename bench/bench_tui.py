"""How fast the TUI feels: start-up, opening the 45 KB speech, a key to repaint.

    python bench/bench_tui.py [--corpus DIR] [--doc DOC_ID] [--repeat 5]

- start-up: a fresh ``python -m speechreader`` process (headless Textual driver)
  until the library table is filled and interactive, warm caches; the wall time
  includes interpreter start and every import.
- open: from Enter on a row until both panes have painted (in-process, Pilot).
- key: one cursor or selection key, sent as the terminal driver sends it, until the
  repainted frame is written (median, p95).

Targets (issue 3): start-up ≤ 0.8 s warm, open ≤ 150 ms, key ≤ 30 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
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
            self.exit()

Timed(Session(Path(sys.argv[1]), Path(sys.argv[2]))).run(headless=True)
"""


def bench_startup(corpus: Path, db: Path, repeat: int, env: dict[str, str]) -> list[float]:
    times = []
    for index in range(repeat + 1):  # the first run warms the caches
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", STARTUP_SCRIPT, str(corpus), str(db)],
            check=True, env=env, capture_output=True,
        )  # fmt: skip
        elapsed = time.perf_counter() - start
        if index:
            times.append(elapsed)
    return times


async def bench_in_app(corpus: Path, db: Path, doc_id: str, repeat: int) -> dict[str, list[float]]:
    from textual import events

    from speechreader.tui.app import SpeechreaderApp
    from speechreader.tui.screens.reader import ReaderScreen
    from speechreader.tui.session import Session

    results: dict[str, list[float]] = {"open": [], "key": []}
    app = SpeechreaderApp(Session(corpus, db))
    painted: list[float] = [0.0]
    original_display = app._display

    def display(screen, renderable) -> None:  # record when a frame reaches the terminal
        original_display(screen, renderable)
        painted[0] = time.perf_counter()

    app._display = display  # type: ignore[method-assign]

    async def until_painted(start: float, check=lambda: True) -> float:
        while not (painted[0] > start and check()):
            await asyncio.sleep(0.0005)
        return painted[0] - start

    async with app.run_test(size=(120, 40)) as pilot:
        while app.session.corpus is None:
            await pilot.pause(0.05)
        await pilot.pause(0.2)
        for _ in range(repeat):
            start = time.perf_counter()
            app.open_document(doc_id)

            def panes_painted() -> bool:
                screen = app.screen
                return (
                    isinstance(screen, ReaderScreen)
                    and screen.state is not None
                    and (screen.state.layout is not None)
                )

            results["open"].append(await until_painted(start, panes_painted))
            await pilot.pause(0.3)  # segmentation arrives
            for key in [
                "right",
                "shift+right",
                "w",
                "down",
                "shift+down",
                "b",
                "pagedown",
                "up",
            ] * 6:
                # Send the key as the terminal driver would (Pilot's press() also waits
                # for the whole app to go idle, which is not what a person waits for).
                start = time.perf_counter()
                app._driver.send_message(events.Key(key, None))
                results["key"].append(await until_painted(start))
                await pilot.pause()
            app.pop_screen()
            await pilot.pause(0.1)
    return results


def _fmt(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return (
        f"median {statistics.median(values) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms   "
        f"max {max(values) * 1000:7.1f} ms   (n={len(values)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--doc", default="undated_three-level-cadres-conference")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--db", type=Path, default=None,
        help="an existing database to open (e.g. 100,000 annotations from bench_store.populate)",
    )  # fmt: skip
    args = parser.parse_args()
    from speechreader.core.paths import sample_corpus_path

    corpus = args.corpus or sample_corpus_path()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        env.setdefault("SPEECHREADER_CACHE_DIR", str(Path(tmp) / "cache"))
        os.environ.update(env)
        db = args.db or Path(tmp) / "bench.srdb"
        startup = bench_startup(corpus, db, args.repeat, env)
        in_app = asyncio.run(bench_in_app(corpus, db, args.doc, args.repeat))
    print(f"corpus: {corpus}   database: {args.db or 'new, empty'}")
    print(f"start-up to interactive library (warm): {_fmt(startup)}   target ≤ 800 ms")
    print(f"open {args.doc}: {_fmt(in_app['open'])}   target ≤ 150 ms")
    print("  each open (ms):", " ".join(f"{v * 1000:.0f}" for v in in_app["open"]))
    print(f"key to repaint: {_fmt(in_app['key'])}   target ≤ 30 ms")


if __name__ == "__main__":
    main()
