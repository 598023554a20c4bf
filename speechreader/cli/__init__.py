"""The ``speechreader`` command: a thin layer over :mod:`speechreader.core`.

The command names and their options are a contract (users' scripts rely on them).
Every error a user can cause is a :class:`SpeechreaderError`: it is printed as one
line on stderr with exit code 2, never as a traceback.
"""

from __future__ import annotations

import importlib
import sys

import click

from speechreader import __version__
from speechreader.cli.terminal import shown
from speechreader.core.config import load_settings
from speechreader.core.errors import SpeechreaderError, check_text

#: every command: its name, and the module and object that define it. A command's
#: module is imported when that command runs (or help lists them all): a search in a
#: fresh process does not pay for importing the other twenty-three.
COMMANDS: dict[str, tuple[str, str]] = {
    "open": ("app_cmds", "open_cmd"),
    "info": ("corpus_cmds", "info_cmd"),
    "list": ("corpus_cmds", "list_cmd"),
    "show": ("corpus_cmds", "show_cmd"),
    "meta": ("meta_cmds", "meta_group"),
    "convert": ("corpus_cmds", "convert_cmd"),
    "tag": ("annotate_cmds", "tag_cmd"),
    "delete": ("annotate_cmds", "delete_cmd"),
    "annotations": ("annotate_cmds", "annotations_cmd"),
    "export": ("transfer_cmds", "export_cmd"),
    "import-annotations": ("transfer_cmds", "import_cmd"),
    "import": ("refi_cmds", "import_project_cmd"),
    "doctor": ("db_cmds", "doctor_cmd"),
    "search": ("search_cmds", "search_cmd"),
    "autocode": ("search_cmds", "autocode_cmd"),
    "codebook": ("codebook_cmds", "codebook_group"),
    "undo": ("history_cmds", "undo_cmd"),
    "redo": ("history_cmds", "redo_cmd"),
    "passages": ("analysis_cmds", "passages_cmd"),
    "stats": ("stats_cmds", "stats_group"),
    "done": ("study_cmds", "done_cmd"),
    "undone": ("study_cmds", "undone_cmd"),
    "agreement": ("study_cmds", "agreement_cmd"),
    "disagreements": ("study_cmds", "disagreements_cmd"),
}


def _command(name: str) -> click.Command | None:
    found = COMMANDS.get(name)
    if found is None:
        return None
    module, attr = found
    return getattr(importlib.import_module(f"speechreader.cli.{module}"), attr)


class _LazyGroup(click.Group):
    """A group whose commands are imported when asked for (see :data:`COMMANDS`)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return _command(cmd_name)


@click.group(
    cls=_LazyGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, "--version", "-V", prog_name="speechreader")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Read Chinese political speeches side by side (simplified | traditional) and code them.

    With no command, opens the reader on the bundled sample corpus.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(_command("open"))


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the CLI, turning user errors into one-line messages."""
    args = sys.argv[1:] if argv is None else argv
    try:
        _check_arguments(args)
        if not {"--help", "-h", "--version", "-V"} & set(args):
            load_settings()  # a broken config.toml stops every command, with one line
        cli.main(args=args, prog_name="speechreader", standalone_mode=False)
    except SpeechreaderError as exc:
        click.echo(shown(f"speechreader: error: {exc}", err=True), err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2 if isinstance(exc, click.UsageError) else exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        # `speechreader list | head`: the reader went away; that is not an error.
        sys.stderr.close()
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # a bug, not the user's mistake: keep the traceback, say where
        _crashed(exc)
        sys.exit(1)


def _crashed(error: Exception) -> None:
    """One line on stderr naming the crash report; the traceback itself if none could be written.

    A bug in a command must not end in a screenful of traceback that vanishes with the
    terminal; the TUI does the same (``tui.app.say_crashed``).
    """
    import traceback

    from speechreader.core.crashlog import write_crash_report

    what = f"{type(error).__name__}: {error}"[:200]
    try:
        report = write_crash_report(error)
    except OSError as problem:
        click.echo(shown(f"speechreader: internal error ({what})", err=True), err=True)
        click.echo(f"no crash report could be written ({problem}):", err=True)
        click.echo("".join(traceback.format_exception(error)), err=True, nl=False)
        return
    click.echo(
        shown(
            f"speechreader: internal error ({what}); the traceback is in {report} "
            "(please send it with a bug report)",
            err=True,
        ),
        err=True,
    )


#: Options whose values are paths: a file name in another encoding is legitimate there.
_PATH_OPTIONS = frozenset({"--corpus", "--db", "-o", "--output", "--to", "--csv", "--documents"})


def _check_arguments(args: list[str]) -> None:
    """Refuse text arguments that are not UTF-8 (from a shell in a legacy locale) at once,
    before anything is read or written; path arguments may be in any encoding."""
    after_path_option = False
    for position, arg in enumerate(args, start=1):
        name = arg.split("=", 1)[0] if arg.startswith("--") else arg
        if after_path_option or (name in _PATH_OPTIONS and "=" in arg):
            after_path_option = False
            continue
        after_path_option = name in _PATH_OPTIONS
        check_text(arg, f"argument {position}")
