"""The database's write lock: ``flock`` on ``local/lock``, held for milliseconds.

Every change to a database takes this lock, re-reads what it is about to change,
writes and lets go, so two instances (the TUI and a CLI command, two terminals) never
lose each other's updates. ``flock`` belongs to the open file, so the kernel drops it
when its process dies: a killed writer never leaves a stale lock behind. Readers never
need it, because every file is replaced by an atomic rename.

The lock file also carries a *generation*: a random token rewritten by every change.
Another instance compares it to notice that the database changed, which file times
alone cannot tell reliably (they tick only every few milliseconds on Linux), and after
it the pid and name of the program that took the lock last, for a waiter's message.

Waiting is fair and bounded: waiters stand in line (:mod:`_lock_queue`), so a busy
writer cannot keep the lock from another program, and one that cannot get it within
its timeout (``lock_timeout``, 10 s unless configured) gets :class:`DatabaseLocked`
naming the database and, if still running, the program holding it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from speechreader.core.errors import DatabaseLocked, StoreError
from speechreader.core.store._lock_queue import LockQueue, entry_pid

#: The longest pause between two looks at a taken lock for the first and second in line
#: (the first gets the lock at most this long after it is let go, the second notices as
#: soon that it is first; polling this often costs each ~1-2% of a core while it
#: waits), and for those further behind (they only watch the line).
POLL_FIRST = 0.001
POLL = 0.005


def _program() -> str:
    """This program as its command line names it ('speechreader tag'), for others' messages."""
    first = Path(sys.argv[0]) if sys.argv and sys.argv[0] not in ("", "-c") else Path("python")
    args = [first.parent.name if first.name == "__main__.py" else first.name]  # python -m
    if len(sys.argv) > 1 and re.fullmatch(r"[a-z][a-z-]*", sys.argv[1]):  # a command's name
        args.append(sys.argv[1])
    words = [a.encode("ascii", "replace").decode() for a in args]
    return " ".join(
        "".join(c if c.isprintable() and not c.isspace() else "?" for c in w) for w in words
    )[:60]


PROGRAM = _program()


def _try(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by another user
    return True


class DbLock:
    """A re-entrant (per instance) exclusive lock on one database."""

    def __init__(self, path: Path, *, timeout: float = 10.0, name: str = "") -> None:
        self.path = path
        self.timeout = timeout
        self.name = name or str(path.parent.parent)
        self._fd: int | None = None
        self._depth = 0
        self._thread_lock = threading.RLock()
        self._queue = LockQueue(path.parent / f"{path.name}-queue")
        self._busy_with = "another program is writing to it"

    def _open(self) -> int:
        if self._fd is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)  # less the umask
            except OSError as exc:
                raise StoreError(
                    f"cannot write to the database {self.name}: {exc.strerror or exc}"
                ) from None
        return self._fd

    @property
    def held(self) -> bool:
        return self._depth > 0

    def acquire(self, timeout: float | None = None) -> bool:
        """Take the lock, waiting up to ``timeout`` seconds; False if it stayed busy.

        Fair: a writer that finds the lock taken stands in :class:`LockQueue`'s line and
        gets it as soon as those before it are done; one that finds it free but others
        waiting goes behind them (see :mod:`_lock_queue`).
        """
        wait = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + wait
        if not self._thread_lock.acquire(timeout=max(wait, 0.001)):
            self._busy_with = "another task of this same program is writing to it"
            return False
        if self._depth:
            self._depth += 1
            return True
        try:
            got = self._take(self._open(), deadline)
        except BaseException:
            self._thread_lock.release()
            raise
        if not got:
            self._thread_lock.release()
            return False
        self._depth = 1
        self._write(self._token())  # name ourselves as the holder, for others' messages
        return True

    def _take(self, fd: int, deadline: float) -> bool:
        if _try(fd):
            if not self._queue.ahead():
                return True  # the common case: free, nobody waiting
            fcntl.flock(fd, fcntl.LOCK_UN)  # others came first: go behind them
        place = self._queue.join()
        try:
            pause = 0.0002
            while True:
                ahead = self._queue.ahead(place, most=2)
                if not ahead and _try(fd):
                    return True
                now = time.monotonic()
                if now >= deadline:
                    self._busy_with = self._holder_text(ahead[0] if ahead else "")
                    return False
                time.sleep(min(pause, deadline - now))
                pause = min(pause * 2, POLL if len(ahead) > 1 else POLL_FIRST)
        finally:
            self._queue.leave(place)

    def release(self) -> None:
        if not self._depth:
            return
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            with contextlib.suppress(OSError):
                self._write(self._token(), holder=False)  # nobody holds it now
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._thread_lock.release()

    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        """Hold the lock for a block; :class:`DatabaseLocked` if it stays taken too long."""
        if not self.acquire():
            raise DatabaseLocked(
                f"could not get the lock on the database {self.name} within {self.timeout:g} s: "
                f"{self._busy_with} (try again, or check `speechreader doctor`)"
            )
        try:
            yield
        finally:
            self.release()

    def _holder_text(self, ahead: str = "") -> str:
        """Who keeps the lock, as far as the lock file tells (its holder, if alive); or,
        if nobody holds it, who waits before us and does not take it (stopped, Ctrl-Z?)."""
        if ahead and self._fd is not None and _try(self._fd):
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            return (
                f"another program, pid {entry_pid(ahead)}, is before this one in line for it "
                "but does not take it (suspended?)"
            )
        parts = self._content()
        pid = int(parts[0]) if parts and parts[0].isdigit() else 0
        program = " ".join(parts[2:])
        if pid == os.getpid():
            return "another task of this same program is writing to it"
        if pid and _alive(pid):
            named = f" ({program})" if program else ""
            return f"another program, pid {pid}{named}, is writing to it"
        return "another program is writing to it"

    def _write(self, token: str, *, holder: bool = True) -> None:
        """``pid generation program`` of the holder; pid 0 and no program once let go."""
        assert self._fd is not None
        data = (f"{os.getpid()} {token} {PROGRAM}" if holder else f"0 {token}").encode() + b"\n"
        os.pwrite(self._fd, data, 0)
        os.ftruncate(self._fd, len(data))

    def _token(self) -> str:
        assert self._fd is not None
        parts = os.pread(self._fd, 256, 0).decode("ascii", "replace").split()
        return parts[1] if len(parts) > 1 else "0"

    def bump(self) -> None:
        """Record that the database changed (call while holding the lock)."""
        assert self._depth
        self._write(os.urandom(8).hex())

    def _content(self) -> list[str]:
        try:
            with open(self.path, "rb") as handle:
                return handle.read(256).decode("ascii", "replace").split()
        except OSError:
            return []

    def generation(self) -> str:
        """The current generation token ('' if none yet); needs no lock."""
        parts = self._content()
        return parts[1] if len(parts) > 1 else ""

    def close(self) -> None:
        if self._fd is not None:
            if self._depth:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
            self._depth = 0
