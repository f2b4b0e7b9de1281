"""An append-only file written in whole records.

Both archives (WARC and JSONL) are written this way: one ``write`` per record on a descriptor
opened with O_APPEND, so a crash or kill leaves every earlier record intact.
"""

from __future__ import annotations

import os
from pathlib import Path


class AppendOnlyFile:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        self.size = os.fstat(self._fd).st_size

    def append(self, data: bytes) -> int:
        """Write a whole record; returns the offset it starts at."""
        offset = self.size
        view = memoryview(data)
        while view:  # a regular file takes it in one go; the loop covers signals and NFS
            view = view[os.write(self._fd, view) :]
        self.size += len(data)
        return offset

    def close(self) -> None:
        os.fsync(self._fd)
        os.close(self._fd)
