"""A day's frames shared by the workers of one host: the first worker to need one computes it,
the others wait for it and read it, so four workers on two cores compute a new load's figures
once. Arrow IPC files in a private directory (never pickle: reading one runs no code); the
policy is in the README ("Caches")."""

import fcntl
import hashlib
import logging
import os
import shutil
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import IO, TypeVar

import polars as pl

T = TypeVar("T")
log = logging.getLogger(__name__)

# A host keeps at most this much: the newest files first, a day's frames of a national load are
# some hundreds of MB.
MAX_BYTES = 3 * 2**30
# Loads kept: the latest and the one workers may still be answering from.
KEEP_SCOPES = 2
# A worker waits this long for another's frame before computing it itself.
WAIT_SECONDS = 120.0


class SharedMemo:
    """Frames filed under a load's scope and a key, in directory."""

    def __init__(self, directory: str | Path, max_bytes: int = MAX_BYTES) -> None:
        self.directory = Path(directory)
        self.max_bytes = max_bytes
        # What this process computed itself and what it read from another's work.
        self.counts: Counter[str] = Counter()
        self._guard = threading.Lock()

    def get(self, scope: str, key: Hashable, compute: Callable[[], T]) -> T:
        """compute() once per scope and key on this host; a frame is read back by the others.
        When the folder fails (full, gone), this worker computes on its own."""
        try:
            path = self._path(scope, key)
            found = _read(path)
            lock = None if found is not None else _lock(path.with_suffix(".lock"))
        except OSError as error:
            log.warning("Dagcijfers niet gedeeld: %s", error)
            return compute()
        if lock is None:
            self.counts["gelezen"] += 1
            return found  # type: ignore[return-value]
        # Closing the lock's file gives the lock up.
        with lock:
            found = _read(path)
            if found is not None:
                self.counts["gelezen"] += 1
                return found  # type: ignore[return-value]
            value = compute()
            self.counts["berekend"] += 1
            if isinstance(value, pl.DataFrame):
                self._write(path, value)
            return value

    def _path(self, scope: str, key: Hashable) -> Path:
        # repr of the key's dates, strings, tuples and dataclasses is the same in every worker;
        # a key that would differ only misses.
        name = hashlib.sha256(repr(key).encode()).hexdigest()
        folder = self.directory / scope
        if not folder.is_dir():
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            self._drop_old_scopes(keep=folder)
        return folder / f"{name}.arrow"

    def _write(self, path: Path, frame: pl.DataFrame) -> None:
        # Written aside and renamed: a reader sees a whole file or none.
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as out:
                frame.write_ipc(out, compression="uncompressed")
            os.replace(tmp, path)
            self._trim()
        except OSError as error:
            log.warning("Dagcijfer niet gedeeld: %s", error)
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)

    def _trim(self) -> None:
        """Drop the least recently written frames while the host keeps more than max_bytes."""
        with self._guard:
            files = []
            for path in self.directory.glob("*/*.arrow"):
                try:
                    stat = path.stat()
                except FileNotFoundError:
                    continue
                files.append((stat.st_mtime, stat.st_size, path))
            total = sum(size for _m, size, _p in files)
            for _mtime, size, path in sorted(files):
                if total <= self.max_bytes:
                    break
                path.unlink(missing_ok=True)
                total -= size

    def _drop_old_scopes(self, keep: Path) -> None:
        """Keep the KEEP_SCOPES newest loads' folders (keep among them); a worker still reading
        a dropped file keeps its open copy."""
        folders = sorted(
            (p for p in self.directory.iterdir() if p.is_dir() and p != keep),
            key=lambda p: p.stat().st_mtime,
        )
        for old in folders[: max(0, len(folders) - (KEEP_SCOPES - 1))]:
            shutil.rmtree(old, ignore_errors=True)


def _read(path: Path) -> pl.DataFrame | None:
    try:
        return pl.read_ipc(path)
    except FileNotFoundError:
        return None


def _lock(path: Path) -> IO[str]:
    """path opened and locked against the other workers; after WAIT_SECONDS opened only (then
    both compute: slower, never wrong)."""
    handle = open(path, "a")  # noqa: SIM115 - the caller holds the lock by keeping it open
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return handle
        except BlockingIOError:
            if time.monotonic() > deadline:
                log.warning("Wachten op een andere worker opgegeven: %s", path.name)
                return handle
            time.sleep(0.02)


_active: SharedMemo | None = None


def use(directory: str | Path | None) -> SharedMemo | None:
    """Share day frames through directory from now on in this process (None: stop)."""
    global _active
    _active = None if directory is None else SharedMemo(directory)
    return _active


def active() -> SharedMemo | None:
    return _active
