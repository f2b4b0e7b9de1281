"""How the archive's files are written, so that a crash or a reader never meets half of one.

- Whole files (indexes, the sites file, summaries, imports, exports) are replaced atomically:
  written under a temporary name, synced, renamed into place. A reader sees the old or the new.
- Both archives (WARC and JSONL) are append-only files written in whole records: one ``write``
  per record on a descriptor opened with O_APPEND, so a crash leaves every earlier record intact.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from .errors import ArchiveWriteError


def _umask() -> int:
    """The process's umask, read without changing it (os.umask can only set it)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)  # no /proc: set and restore, once, at import
    os.umask(mask)
    return mask


#: files are created as open() would create them: 0666 less the user's umask
FILE_MODE = 0o666 & ~_umask()


@contextmanager
def replacing(path: Path, *, parents: bool = True) -> Iterator[Path]:
    """A temporary path next to ``path`` to write; renamed over ``path`` if the block succeeds,
    removed if it fails. A write that fails (full disk, read-only directory) raises
    ArchiveWriteError and leaves the old file as it was. ``parents``: make missing directories
    (the archive's own); off for a path a user names, whose directory must exist.

    The file gets the user's umask, not mkstemp's 0600: a pywb or a web server running as
    another user reads the index and the exports."""
    try:
        if parents:
            path.parent.mkdir(parents=True, exist_ok=True)
        elif not path.parent.is_dir():
            raise ArchiveWriteError(f"cannot write {path}: no directory {path.parent}", path)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.fchmod(fd, FILE_MODE)
        os.close(fd)
    except OSError as error:
        raise ArchiveWriteError.of(path, error) from None
    temporary = Path(name)
    try:
        yield temporary
        with temporary.open("rb+") as written:
            os.fsync(written.fileno())
        temporary.replace(path)
    except OSError as error:
        raise ArchiveWriteError.of(path, error) from None
    finally:
        temporary.unlink(missing_ok=True)


class AppendOnlyFile:
    def __init__(self, path: Path, *, new: bool = False) -> None:
        """Opens ``path`` for appending; with ``new``, only a file that does not exist yet
        (FileExistsError otherwise), so two writers never share one. The file stays locked
        (flock) while open: a crash releases the lock, which is how recovery tells a file left
        by a killed writer from one being written (:func:`unless_held`)."""
        self.path = path
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | (os.O_EXCL if new else 0)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(path, flags, 0o644)
        except FileExistsError:
            raise
        except OSError as error:
            raise ArchiveWriteError.of(path, error) from None
        fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self.size = os.fstat(self._fd).st_size

    def append(self, data: bytes) -> int:
        """Write a whole record; returns the offset it starts at.

        A write that fails (a full disk, a quota, an I/O error) is undone: the file is cut
        back to where the record began, so no torn or glued record stays, and ArchiveWriteError
        names the file and the cause."""
        offset = self.size
        view = memoryview(data)
        try:
            while view:  # a regular file takes it in one go; the loop covers signals and NFS
                view = view[os.write(self._fd, view) :]
        except OSError as error:
            self.rewind(offset)
            raise ArchiveWriteError.of(self.path, error) from None
        self.size += len(data)
        return offset

    def rewind(self, offset: int) -> None:
        """Cut the file back to ``offset`` (the start of a record that must not stay)."""
        with suppress(OSError):  # shrinking needs no space; if even this fails, readers
            os.ftruncate(self._fd, offset)  # still stop at the torn record and recovery cuts it
        self.size = offset

    def close_quietly(self) -> None:
        """Closed without syncing: for a file about to be removed."""
        with suppress(OSError):
            os.close(self._fd)

    def close(self) -> None:
        try:
            os.fsync(self._fd)
        except OSError as error:
            raise ArchiveWriteError.of(self.path, error) from None
        finally:
            os.close(self._fd)


@contextmanager
def unless_held(path: Path) -> Iterator[bool]:
    """True, with the file locked for the block, when no live writer has it open (the writer
    was killed, or finished); False while an AppendOnlyFile of a running process holds it."""
    fd = os.open(path, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)
