"""The line of writers waiting for a database's lock, so that it is fair (first come, first in).

``flock`` itself is not fair: a waiter can only poll, and a busy writer that lets go
and takes the lock again a microsecond later wins every time, so a second program
could wait forever behind an import or a tight loop of changes. Every writer that
finds the lock taken therefore joins this line: it draws a ticket (a counter in
``next``, read and bumped under a short ``flock``) and leaves a file named by it,
which it keeps ``flock``-ed while it waits. Only the first in line may take the lock,
and a writer that finds the lock free but the line not empty joins the line instead
of taking it, behind those who came first.

A waiter that dies leaves its file behind, but not its ``flock`` (the kernel drops it
with the process): an entry nobody holds is a dead one, and whoever finds it removes
it. An entry exists before its owner ``flock``-s it only while the owner holds
``next``; a checker that finds an entry free takes ``next`` too before removing it, so
it never removes one being born.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from dataclasses import dataclass
from pathlib import Path

from speechreader.core.errors import StoreError

COUNTER = "next"


def entry_pid(name: str) -> int:
    """The waiting process's pid, from its entry's name (``TICKET-PID``)."""
    pid = name.rpartition("-")[2]
    return int(pid) if pid.isdigit() else 0


@dataclass
class Place:
    """A writer's place in the line: its entry's name and the open file keeping it alive."""

    name: str
    fd: int


class LockQueue:
    """The folder of waiting writers beside a lock file (``local/lock-queue/``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _entries(self) -> list[str]:
        """The entries' names in ticket order (names are zero-padded tickets)."""
        try:
            names = os.listdir(self.folder)
        except FileNotFoundError:
            return []
        return sorted(n for n in names if n != COUNTER and not n.startswith("."))

    @contextlib.contextmanager
    def _counter(self, mode: int):
        fd = os.open(self.folder / COUNTER, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, mode)  # held for microseconds; a killed holder releases it
            yield fd
        finally:
            os.close(fd)

    def join(self) -> Place:
        """Take a ticket and stand in line (behind everyone already there)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with self._counter(fcntl.LOCK_EX) as counter:
                raw = os.pread(counter, 32, 0).decode("ascii", "replace").strip()
                ticket = int(raw) if raw.isdigit() else 0
                data = f"{ticket + 1}\n".encode()
                os.pwrite(counter, data, 0)
                os.ftruncate(counter, len(data))
                name = f"{ticket:015d}-{os.getpid()}"
                fd = os.open(self.folder / name, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o666)
                fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError as exc:
            raise StoreError(
                f"cannot wait for the lock in {self.folder}: {exc.strerror or exc}"
            ) from None
        return Place(name, fd)

    def leave(self, place: Place) -> None:
        """Step out of the line (got the lock, or gave up): remove the entry, then let go."""
        with contextlib.suppress(OSError):
            os.unlink(self.folder / place.name)
        os.close(place.fd)

    def ahead(self, place: Place | None = None, most: int = 1) -> list[str]:
        """The entries of the first ``most`` alive before ``place`` (before anyone, if None)."""
        found: list[str] = []
        for name in self._entries():
            if (place is not None and name >= place.name) or len(found) >= most:
                break
            if self._alive(name):
                found.append(name)
        return found

    def _alive(self, name: str) -> bool:
        """Whether the entry's owner still waits; a dead owner's entry is removed."""
        path = self.folder / name
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            return False  # it left meanwhile
        except OSError:
            return True  # cannot tell: count it, rather than jump the line
        try:
            if _held(fd):
                return True
            with self._counter(fcntl.LOCK_SH):  # not one being born (see the module docstring)
                if _held(fd):
                    return True
                with contextlib.suppress(OSError):
                    os.unlink(path)
                return False
        except OSError:
            return True
        finally:
            os.close(fd)


def _held(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    fcntl.flock(fd, fcntl.LOCK_UN)
    return False
