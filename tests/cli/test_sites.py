"""`sites add/edit/remove/list`: the sites file stays valid, and a broken one is named."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from newsarchiver.cli import main
from newsarchiver.schedule.sites import load_sites


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env={"COLUMNS": "250"}, catch_exceptions=False)


def test_add_edit_list_and_remove_keep_a_valid_toml_file(tmp_path: Path) -> None:
    out = str(tmp_path)
    added = run(
        "sites",
        "add",
        "tagesblatt",
        "https://www.tagesblatt.example/",
        "--every",
        "30m",
        "--deny",
        "/video/",
        "--drop",
        ".newsletter, .promo",
        "--recheck-hours",
        "12",
        "-o",
        out,
    )
    assert added.exit_code == 0, added.output
    assert "added tagesblatt (every 30m)" in added.stdout
    run("sites", "add", "kurier", "https://kurier.example/", "--cron", "0 */2 * * *", "-o", out)
    text = (tmp_path / "sites.toml").read_text()
    assert "[sites.tagesblatt]" in text and 'every = "30m"' in text
    sites = load_sites(tmp_path / "sites.toml")
    assert sites["tagesblatt"].drop_selectors == [".newsletter, .promo"]
    assert sites["tagesblatt"].recheck_hours == 12 and sites["kurier"].cron == "0 */2 * * *"

    edited = run(
        "sites",
        "edit",
        "tagesblatt",
        "--cron",
        "*/15 * * * *",
        "--feed",
        "https://www.tagesblatt.example/feed.xml",
        "-o",
        out,
    )
    assert edited.exit_code == 0, edited.output
    site = load_sites(tmp_path / "sites.toml")["tagesblatt"]
    assert site.cron == "*/15 * * * *" and site.every is None  # one schedule replaces the other
    assert site.feeds == ["https://www.tagesblatt.example/feed.xml"] and site.deny == ["/video/"]

    listed = run("sites", "list", "--format", "jsonl", "-o", out)
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [(r["site"], r["schedule"], r["last_run"], r["articles"]) for r in rows] == [
        ("kurier", "cron 0 */2 * * *", "", 0),
        ("tagesblatt", "cron */15 * * * *", "", 0),
    ]
    assert all(r["next_run"] for r in rows)  # never ran: due now

    assert run("sites", "remove", "kurier", "-o", out).exit_code == 0
    assert set(load_sites(tmp_path / "sites.toml")) == {"tagesblatt"}


def test_bad_input_is_refused_with_one_line_and_the_file_left_as_it_was(tmp_path: Path) -> None:
    out = str(tmp_path)
    run("sites", "add", "tagesblatt", "https://www.tagesblatt.example/", "--every", "1h", "-o", out)
    before = (tmp_path / "sites.toml").read_text()
    cases = {
        ("sites", "add", "tagesblatt", "https://x.example/"): "exists",
        ("sites", "add", "x", "https://x.example/", "--every", "soon"): "not a period like 30m",
        ("sites", "add", "x", "https://x.example/", "--cron", "61 * * * *"): "not a cron",
        ("sites", "add", "x", "ftp://x.example/"): "is not an http(s) URL",
        ("sites", "add", "Bad Name", "https://x.example/"): "a name is lowercase",
        ("sites", "add", "x", "https://x.example/", "--deny", "(unclosed"): "deny: '(unclosed'",
        ("sites", "edit", "nosuch", "--every", "1h"): "no site 'nosuch'",
        ("crawl", "--site", "nosuch"): "no site 'nosuch'",
    }
    for args, message in cases.items():
        result = run(*args, "-o", out)
        assert result.exit_code != 0, args
        assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1, (
            args,
            result.stderr,
        )
    assert (tmp_path / "sites.toml").read_text() == before


def test_a_broken_file_is_named_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "sites.toml"
    path.write_text('[sites.tagesblatt]\nstart_urls = ["https://a.example/"]\nevery = 30m\n')
    result = run("sites", "list", "-o", str(tmp_path))
    assert result.exit_code == 1
    assert f"{path}: " in result.stderr and "line 3" in result.stderr
    path.write_text('[sites.tagesblatt]\nstart_urls = ["https://a.example/"]\nevrey = "1h"\n')
    result = run("schedule", "status", "-o", str(tmp_path))
    assert "site 'tagesblatt': unknown key 'evrey'" in result.stderr
    other = tmp_path / "elsewhere.toml"
    other.write_text('[sites.kurier]\nstart_urls = ["https://k.example/"]\nevery = "2h"\n')
    listed = run(
        "sites",
        "list",
        "--sites-file",
        str(other),
        "--format",
        "jsonl",
        "-o",
        str(tmp_path / "output"),
    )
    assert json.loads(listed.stdout)["site"] == "kurier"


def test_shell_completion_as_the_readme_sets_it_up() -> None:
    """The README's `_NEWSARCHIVER_COMPLETE=bash_source` line prints a script, and the shell's
    completion request it installs completes commands and options."""
    import os
    import subprocess
    import sys

    command = [str(Path(sys.executable).parent / "newsarchiver")]  # the installed script

    def complete(words: str, kind: str = "bash_complete") -> str:
        env = {**os.environ, "_NEWSARCHIVER_COMPLETE": kind, "COMP_WORDS": words,
               "COMP_CWORD": str(len(words.split()) - 1)}  # fmt: skip
        return subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout

    assert "_newsarchiver_completion()" in complete("newsarchiver", "bash_source")
    assert complete("newsarchiver his").split() == ["plain,history"]
    assert "plain,--replay-port" in complete("newsarchiver serve --rep").split()
