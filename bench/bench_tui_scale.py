"""The TUI's library on a big corpus: time to a filled table, sort, filter, open, memory.

    python bench/bench_tui_scale.py [--sizes 10000,100000] [--work DIR] [--repeat 3]

Uses bench_scale's corpora and their cache folders under ``--work`` (run bench_scale
first, or the first run here lists the corpus cold). Each size runs in a fresh process
(``python bench/bench_tui_scale.py --one SIZE``) driving the app headless with Pilot at
120x40, with an empty database, and reports:

- ``open``: from starting the app until the library table is filled (corpus loaded in
  the screen's worker, rows built);
- ``sort``: ``s`` (next column), ``S`` (reverse) until the table is redrawn;
- ``filter``: ``/`` and typing 广西 until the table shows only the matches; Esc clears;
- ``search``: ctrl+f, a rare phrase (两个维护) or the commonest word (发展, ~2 million
  hits at 100k), Enter, until the status gives the count of hits; Esc back;
- ``open doc``: Enter on a row until the reader has laid out both panes;
- ``stall``: for each, the longest time the event loop did not run (a ticker every
  10 ms): what a person sees as a frozen screen. The target: none past ~100 ms;
- ``VmHWM``: the process's peak resident memory (issue 15: ≤ 400 MB at 100k).

``--cold`` starts each size with no listing cache and no search index (in folders of
its own under ``--work``, removed afterwards): the first open analyses every file and
the first search builds the index, as for a researcher opening a new corpus.
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

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import cli_runs  # noqa: E402
from bench_scale import corpus_for  # noqa: E402

DEFAULT_WORK = Path(os.environ.get("TMPDIR", "/tmp")) / "sr-bench-scale"


def vm_hwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class StallMeter:
    """The longest gap between ticks of a 10 ms ticker on the event loop."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._task: asyncio.Task | None = None

    async def _tick(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.01)
            now = time.perf_counter()
            self.worst = max(self.worst, now - last - 0.01)
            last = now

    def start(self) -> None:
        self.worst = 0.0
        self._task = asyncio.get_running_loop().create_task(self._tick())

    def reset(self) -> float:
        worst, self.worst = self.worst, 0.0
        return worst


async def drive(corpus: Path, db: Path, repeat: int) -> dict[str, list[tuple[float, float]]]:
    from speechreader.tui.app import SpeechreaderApp
    from speechreader.tui.screens.library import LibraryScreen
    from speechreader.tui.screens.reader import ReaderScreen
    from speechreader.tui.screens.search import SearchScreen
    from speechreader.tui.session import Session

    results: dict[str, list[tuple[float, float]]] = {}
    meter = StallMeter()

    peaks: dict[str, float] = {}

    def record(name: str, seconds: float) -> None:
        results.setdefault(name, []).append((seconds, meter.reset()))
        peaks[name] = vm_hwm_mb()  # which action raised the peak

    async def until(check, pilot, limit: float = 600.0) -> float:
        start = time.perf_counter()
        while not check():
            if time.perf_counter() - start > limit:
                raise TimeoutError("the app did not get there")
            await pilot.pause(0.005)
        return time.perf_counter() - start

    start = time.perf_counter()
    app = SpeechreaderApp(Session(corpus, db))
    async with app.run_test(size=(120, 40)) as pilot:
        meter.start()

        def library() -> LibraryScreen | None:
            screen = app.screen
            return screen if isinstance(screen, LibraryScreen) else None

        await until(lambda: library() is not None and library().table.rows, pilot)
        record("open (to a filled table)", time.perf_counter() - start)
        await pilot.pause(0.5)
        meter.reset()
        total = len(library().table.rows)
        for _ in range(repeat):
            for key in ("s", "S"):
                before = library().table.rows[0]
                began = time.perf_counter()
                await pilot.press(key)
                await until(lambda b=before: library().table.rows[0] is not b, pilot, 60)
                record(f"sort ({key})", time.perf_counter() - began)
            began = time.perf_counter()
            await pilot.press("slash", "广", "西")
            await until(lambda: len(library().table.rows) < total, pilot, 60)
            record("filter 广西", time.perf_counter() - began)
            began = time.perf_counter()
            await pilot.press("escape")
            await until(lambda: len(library().table.rows) == total, pilot, 60)
            record("clear filter", time.perf_counter() - began)
            for query in ("两个维护", "发展"):
                began = time.perf_counter()
                await pilot.press("ctrl+f")
                await until(lambda: isinstance(app.screen, SearchScreen), pilot, 60)
                search = app.screen
                for char in query:
                    await pilot.press(char)
                await pilot.press("enter")

                def found(search=search) -> bool:
                    status = str(search.query_one("#search-status").render())
                    return " hit" in status and "searching" not in status

                await until(found, pilot, 300)
                record(f"search {query}", time.perf_counter() - began)
                await pilot.press("escape")
                await until(lambda: library() is not None, pilot, 60)
                await pilot.pause(0.3)
                meter.reset()
            began = time.perf_counter()
            await pilot.press("enter")

            def reader_ready() -> bool:
                screen = app.screen
                return isinstance(screen, ReaderScreen) and screen.state is not None

            await until(reader_ready, pilot, 60)
            record("open a document", time.perf_counter() - began)
            await pilot.pause(0.3)
            meter.reset()
            app.pop_screen()
            await until(lambda: library() is not None, pilot, 60)
            await pilot.pause(0.3)
            meter.reset()
        results["VmHWM"] = [(vm_hwm_mb(), 0.0)]
    results["peaks"] = [(peaks[name], 0.0) for name in results if name in peaks]
    return results


def one(size: int, work: Path, repeat: int, cold: bool) -> None:
    root = corpus_for(work, size).resolve()
    if cold:  # nothing cached: a fresh environment and database, gone afterwards
        scratch = Path(tempfile.mkdtemp(prefix=f"cold-{size}-", dir=work))
        env, db = cli_runs.isolated_env(scratch / "env"), scratch / "tui-db"
    else:
        env, db = cli_runs.isolated_env(work / f"env-{size}"), work / f"tui-db-{size}"
    os.environ.update(env)
    try:
        results = asyncio.run(drive(root, db, repeat))
    finally:
        if cold:
            shutil.rmtree(scratch, ignore_errors=True)
    print(f"## {size:,} documents ({root}){' cold: no cache, no index' if cold else ''}")
    print("| action | median s | longest stall ms (median) | VmHWM after, MB |")
    print("|---|---|---|---|")
    peaks = [mb for mb, _ in results["peaks"]]
    for (name, runs), peak in zip(
        [(n, r) for n, r in results.items() if n not in ("VmHWM", "peaks")], peaks, strict=True
    ):
        seconds = statistics.median(s for s, _ in runs)
        stall = statistics.median(w for _, w in runs)
        print(f"| {name} | {seconds:.2f} | {stall * 1000:.0f} | {peak:.0f} |")
    print(f"\nVmHWM (peak resident memory): {results['VmHWM'][0][0]:.0f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cold", action="store_true", help="no listing cache, no index")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # one size, this process
    args = parser.parse_args(argv)
    if args.one:
        one(args.one, args.work, args.repeat, args.cold)
        return 0
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for size in (int(s) for s in args.sizes.split(",")):
        command = [sys.executable, __file__, "--one", str(size), "--work", str(args.work)]
        cold = ["--cold"] if args.cold else []
        subprocess.run([*command, "--repeat", str(args.repeat), *cold], check=True, cwd=REPO)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
