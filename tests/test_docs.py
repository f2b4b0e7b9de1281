"""The README is the contract other tools rely on: it must name everything users can use."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from newsarchiver import settings
from newsarchiver.addon import DEFAULTS
from newsarchiver.cli import main
from newsarchiver.items import ARTICLE_FIELDS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
OUR_SETTINGS = sorted(DEFAULTS)


def test_readme_starts_with_the_two_setup_commands() -> None:
    head = "\n".join(README.splitlines()[:12])
    assert "make demo" in head and "make test" in head


@pytest.mark.parametrize("field", ARTICLE_FIELDS)
def test_every_jsonl_field_is_in_the_schema_table(field: str) -> None:
    assert f"| `{field}` |" in README


@pytest.mark.parametrize("name", OUR_SETTINGS)
def test_every_setting_of_ours_is_documented(name: str) -> None:
    assert f"`{name}`" in README


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_is_documented(command: str) -> None:
    assert f"newsarchiver {command}" in README


def _commands(group: click.Group) -> list[click.Command]:
    found: list[click.Command] = []
    for command in group.commands.values():
        found += _commands(command) if isinstance(command, click.Group) else [command]
    return found


@pytest.mark.parametrize("command", _commands(main), ids=lambda c: c.name)
def test_every_option_is_documented(command: click.Command) -> None:
    for option in command.params:
        for flag in option.opts:
            if flag.startswith("--"):
                assert flag in README, flag


def test_defaults_are_polite() -> None:
    assert settings.ROBOTSTXT_OBEY is True
    assert settings.AUTOTHROTTLE_ENABLED is True
    assert settings.USER_AGENT.startswith("newsarchiver/")
    assert settings.TELNETCONSOLE_ENABLED is False
