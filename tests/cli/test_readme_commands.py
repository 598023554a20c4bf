"""The README's command list names every command and subcommand the CLI has.

A new user learns the commands there; a command missing from it is one nobody finds.
"""

from __future__ import annotations

import re
from pathlib import Path

import click

from speechreader.cli import cli

README = Path(__file__).resolve().parents[2] / "README.md"


def _command_list(readme: str) -> list[str]:
    """The lines of the first ``sh`` block under "## Command line"."""
    section = readme.split("\n## Command line\n", 1)[1]
    return section.split("```sh\n", 1)[1].split("```", 1)[0].splitlines()


def _missing(lines: list[str], group: click.Group) -> list[str]:
    """Commands (``name``) and subcommands (``group name``) the lines do not mention."""
    top = set()
    for line in lines:
        m = re.match(r"speechreader ([\w-]+)", line)
        if m:
            top.add(m.group(1))
            top.update(re.findall(r"\| ([\w-]+)", line.split("#")[0]))
    ctx = click.Context(group)
    commands = {name: group.get_command(ctx, name) for name in group.list_commands(ctx)}
    missing = [name for name in commands if name not in top]
    for name, command in commands.items():
        if isinstance(command, click.Group):
            said = " ".join(line for line in lines if line.startswith(f"speechreader {name} "))
            words = set(re.findall(r"[\w-]+", said))
            missing += [f"{name} {sub}" for sub in command.commands if sub not in words]
    return missing


def test_the_readme_lists_every_command():
    lines = _command_list(README.read_text(encoding="utf-8"))
    assert _missing(lines, cli) == []


def test_a_command_left_out_of_the_list_is_caught():
    lines = _command_list(README.read_text(encoding="utf-8"))
    without = [line for line in lines if not line.startswith("speechreader doctor")]
    assert _missing(without, cli) == ["doctor"]
    without = [line.replace("recolour", "") for line in lines]
    assert _missing(without, cli) == ["codebook recolour"]
