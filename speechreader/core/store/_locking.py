"""The database's write lock: ``flock`` on ``local/lock``, held for milliseconds.

Every change to a database takes this lock, re-reads what it is about to change,
writes and lets go, so two instances (the TUI and a CLI command, two terminals) never
lose each other's updates. ``flock`` belongs to the open file, so the kernel drops it
when its process dies: a killed writer never leaves a stale lock behind. Readers never
need it, because every file is replaced by an atomic rename.

The lock file also carries a *generation*: a random token rewritten by every change.
Another instance compares it to notice that the database changed, which file times
alone cannot tell reliably (they tick only every few milliseconds on Linux).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from speechreader.core.errors import DatabaseLocked, StoreError


class DbLock:
    """A re-entrant (per instance) exclusive lock on one database."""

    def __init__(self, path: Path, *, timeout: float = 10.0, name: str = "") -> None:
        self.path = path
        self.timeout = timeout
        self.name = name or str(path.parent.parent)
        self._fd: int | None = None
        self._depth = 0
        self._thread_lock = threading.RLock()

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
        """Take the lock, waiting up to ``timeout`` seconds; False if it stayed busy."""
        wait = self.timeout if timeout is None else timeout
        if not self._thread_lock.acquire(timeout=max(wait, 0.001)):
            return False
        if self._depth:
            self._depth += 1
            return True
        try:
            fd = self._open()
        except BaseException:
            self._thread_lock.release()
            raise
        deadline = time.monotonic() + wait
        pause = 0.001
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    self._thread_lock.release()
                    return False
                time.sleep(pause)
                pause = min(pause * 2, 0.02)
        self._depth = 1
        self._write(self._token())  # name ourselves as the holder, for others' messages
        return True

    def release(self) -> None:
        if not self._depth:
            return
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._thread_lock.release()

    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        """Hold the lock for a block; :class:`DatabaseLocked` if another process keeps it."""
        if not self.acquire():
            holder = self.read_holder()
            last = f" (last taken by pid {holder})" if holder else ""
            raise DatabaseLocked(
                f"the database {self.name} is busy: another process has held its lock for more "
                f"than {self.timeout:g} s{last}; try again, or close the other speechreader "
                "instance if it is stuck"
            )
        try:
            yield
        finally:
            self.release()

    def _write(self, token: str) -> None:
        assert self._fd is not None
        data = f"{os.getpid()} {token}\n".encode()
        os.pwrite(self._fd, data, 0)
        os.ftruncate(self._fd, len(data))

    def _token(self) -> str:
        assert self._fd is not None
        parts = os.pread(self._fd, 128, 0).decode("ascii", "replace").split()
        return parts[1] if len(parts) > 1 else "0"

    def bump(self) -> None:
        """Record that the database changed (call while holding the lock)."""
        assert self._depth
        self._write(os.urandom(8).hex())

    def _content(self) -> list[str]:
        try:
            with open(self.path, "rb") as handle:
                return handle.read(128).decode("ascii", "replace").split()
        except OSError:
            return []

    def generation(self) -> str:
        """The current generation token ('' if none yet); needs no lock."""
        parts = self._content()
        return parts[1] if len(parts) > 1 else ""

    def read_holder(self) -> str:
        """The pid of the process that last took the lock, for messages."""
        parts = self._content()
        return parts[0] if parts else ""

    def close(self) -> None:
        if self._fd is not None:
            if self._depth:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
            self._depth = 0
