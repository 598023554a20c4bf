"""The ``speechreader`` command: a thin layer over :mod:`speechreader.core`.

The command names and their options are a contract (users' scripts rely on them).
Every error a user can cause is a :class:`SpeechreaderError`: it is printed as one
line on stderr with exit code 2, never as a traceback.
"""

from __future__ import annotations

import sys

import click

from speechreader import __version__
from speechreader.cli.analysis_cmds import passages_cmd
from speechreader.cli.annotate_cmds import annotations_cmd, delete_cmd, tag_cmd
from speechreader.cli.app_cmds import open_cmd
from speechreader.cli.codebook_cmds import codebook_group
from speechreader.cli.corpus_cmds import convert_cmd, info_cmd, list_cmd, show_cmd
from speechreader.cli.db_cmds import doctor_cmd
from speechreader.cli.history_cmds import redo_cmd, undo_cmd
from speechreader.cli.meta_cmds import meta_group
from speechreader.cli.refi_cmds import import_project_cmd
from speechreader.cli.search_cmds import autocode_cmd, search_cmd
from speechreader.cli.stats_cmds import stats_group
from speechreader.cli.study_cmds import agreement_cmd, disagreements_cmd, done_cmd, undone_cmd
from speechreader.cli.terminal import shown
from speechreader.cli.transfer_cmds import export_cmd, import_cmd
from speechreader.core.config import load_settings
from speechreader.core.errors import SpeechreaderError, check_text


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="speechreader")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Read Chinese political speeches side by side (simplified | traditional) and code them.

    With no command, opens the reader on the bundled sample corpus.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(open_cmd)


for command in (
    open_cmd,
    info_cmd,
    list_cmd,
    show_cmd,
    meta_group,
    convert_cmd,
    tag_cmd,
    delete_cmd,
    annotations_cmd,
    export_cmd,
    import_cmd,
    import_project_cmd,
    doctor_cmd,
    search_cmd,
    autocode_cmd,
    codebook_group,
    undo_cmd,
    redo_cmd,
    passages_cmd,
    stats_group,
    done_cmd,
    undone_cmd,
    agreement_cmd,
    disagreements_cmd,
):
    cli.add_command(command)


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
