"""Replaced files: a reader sees the old file or the new one, never half, never a leftover."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsarchiver.files import replacing
from tests.conftest import CrawlRun


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


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_replaced_files_get_the_users_umask(tmp_path: Path, umask: int, mode: int) -> None:
    """They were 0600 whatever the umask (mkstemp's mode): a pywb or web server running as
    another user could not read the index. A real command, under each umask."""
    import os
    import subprocess

    from tests.conftest import newsarchiver_command

    output = tmp_path / "out"
    done = subprocess.run(
        newsarchiver_command("sites", "add", "t", "http://127.0.0.1:9/", "-o", str(output)),
        capture_output=True,
        text=True,
        preexec_fn=lambda: os.umask(umask),  # the child's alone
    )
    assert done.returncode == 0, done.stderr
    assert (output / "sites.toml").stat().st_mode & 0o777 == mode


def test_an_export_into_a_missing_directory_is_an_error_and_creates_nothing(
    tmp_path: Path, site_crawl: CrawlRun
) -> None:
    """`export parquet /nonexistent/x.parquet` used to create /nonexistent."""
    from tests.conftest import run_cli

    output = site_crawl.output
    missing = tmp_path / "nowhere" / "deeper"
    for command in (["export", "parquet", str(missing / "x.parquet")],
                    ["export", "wacz", str(missing / "x.wacz")]):  # fmt: skip
        done = run_cli(output, *command)
        assert done.returncode == 1, done.stdout
        assert f"no directory {missing}" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    assert not (tmp_path / "nowhere").exists()
