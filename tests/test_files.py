"""Replaced files: a reader sees the old file or the new one, never half, never a leftover."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsarchiver.files import replacing


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "index" / "file.cdxj"
    with replacing(path) as temporary:
        temporary.write_text("old\n")
        assert not path.exists()  # nothing in place until the block succeeds
    assert path.read_text() == "old\n"
    with pytest.raises(RuntimeError), replacing(path) as temporary:
        temporary.write_text("half of the ne")
        raise RuntimeError("disk full")
    assert path.read_text() == "old\n"
    assert [p.name for p in path.parent.iterdir()] == ["file.cdxj"]
