"""The Textual application: a library screen and a reader screen over one Session."""

from __future__ import annotations

import contextlib
import sys
import traceback
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.worker import WorkerFailed

from speechreader.core.crashlog import write_crash_report
from speechreader.core.gcpause import freeze_survivors, steady_heap, thaw
from speechreader.core.store import shortcut_keys
from speechreader.core.text import VARIANTS
from speechreader.tui.literal import visible
from speechreader.tui.screens.library import LibraryScreen
from speechreader.tui.session import Session

if TYPE_CHECKING:  # the other screens are imported when first shown: start-up is the library
    from speechreader.tui.screens.reader import ReaderScreen

_HERE = Path(__file__).parent


class SpeechreaderApp(App[None]):
    """Read and code the speeches of one corpus."""

    TITLE = "speechreader"
    # Every screen's .tcss (each kept beside its screen) is read at start-up, so that
    # opening a screen the first time does not parse CSS. Absolute paths, so that
    # subclasses defined elsewhere (benchmarks, tests) find them too.
    CSS_PATH: ClassVar[list[Path]] = [
        _HERE / "app.tcss",
        _HERE / "screens" / "library.tcss",
        _HERE / "screens" / "reader.tcss",
        _HERE / "screens" / "help.tcss",
        _HERE / "screens" / "search.tcss",
        _HERE / "screens" / "codebook.tcss",
        _HERE / "screens" / "agreement.tcss",
        _HERE / "screens" / "compare.tcss",
        _HERE / "screens" / "analysis.tcss",
        _HERE / "dialogs" / "dialogs.tcss",
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Keys"),
        Binding("ctrl+f", "search", "Search corpus", priority=True),
        Binding("C", "codebook", "Codebook"),
        Binding("A", "agreement", "Agreement", show=False),
        Binding("Y", "analysis", "Analysis"),
    ]

    def __init__(self, session: Session) -> None:
        steady_heap()  # a session of hours, many worker threads: see its docstring
        super().__init__()
        self.session = session
        self._reader: ReaderScreen | None = None
        self.crash: BaseException | None = None  # the first unexpected error, if any
        self.crash_report: Path | None = None  # where its traceback was written
        self.crash_report_problem = ""  # why it could not be written
        self._analysis: Screen | None = None

    def _handle_exception(self, error: Exception) -> None:
        """A bug stops the app: keep its traceback in a crash report first.

        Textual then shuts the app down with return code 1. Its own traceback (with
        every local variable, document text included) is not printed: :func:`run_app`
        says in two lines what happened and where the report is.
        """
        if self.crash is None:
            # A worker's error arrives wrapped, without the traceback that matters.
            if isinstance(error, WorkerFailed) and isinstance(error.error, BaseException):
                self.crash = error.error
            else:
                self.crash = error
            try:
                self.crash_report = write_crash_report(self.crash, context=self._crash_context())
            except OSError as exc:
                self.crash_report_problem = str(exc)
        super()._handle_exception(error)
        if self.crash_report is not None and "debug" not in self.features:
            with contextlib.suppress(AttributeError):  # Textual internals, may move
                self._exit_renderables.clear()

    def _crash_context(self) -> str:
        try:
            screen = type(self.screen).__name__
        except Exception:  # no screen yet, or the stack is what broke
            screen = "?"
        doc = getattr(self._reader, "doc_id", "") or "-"
        return f"screen {screen}, document {doc!r}"

    #: how often (seconds) the app looks whether another process changed the database
    EXTERNAL_CHECK_INTERVAL = 2.0

    def on_mount(self) -> None:
        # The library opens the database and the corpus in a worker: the screen is up at once.
        self.push_screen(LibraryScreen(self.session))
        self.set_interval(self.EXTERNAL_CHECK_INTERVAL, self.check_external_changes)

    def check_external_changes(self) -> None:
        """A teammate or a CLI command wrote the database: the screen on show follows.

        One watcher for the whole app, and only the screen the user sees is told (its
        ``store_changed``): a screen that is hidden, or has nothing open (the reader
        before its first document), refreshes when it is shown again instead.
        """
        if not self.session.reload_if_changed():
            return
        changed = getattr(self.screen, "store_changed", None)
        if callable(changed):
            changed()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast, from any screen or widget, shows its words literally.

        Messages carry tag names, titles, queries and error texts with file names; a
        tag named ``[/]`` must not crash the toast, nor ESC reach the terminal. So no
        toast in this app is markup, whatever the caller asked for.
        """
        super().notify(
            visible(message, lines=True),
            title=visible(title, lines=True),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def _refresh_notifications(self) -> None:
        """A screen whose toasts must stay off its text shows only the newest few.

        Textual adds a notification to its collection when its message arrives and then
        calls this to show them: the place where all of them, however quickly they
        came, can be counted.
        """
        limit = getattr(self.screen, "TOASTS_AT_ONCE", None) if self.screen_stack else None
        shown = list(getattr(self, "_notifications", ()))
        if limit and len(shown) > limit:
            for old in shown[:-limit]:
                del self._notifications[old]
        super()._refresh_notifications()

    def open_document(self, doc_id: str, *, select: tuple[int, int] | None = None) -> None:
        """Show a document in the reader (built once, then reused), optionally selecting a span."""
        reader = self.prepare_reader()
        reader.open_document(doc_id, select=select)
        if reader in self.screen_stack:
            while self.screen is not reader:  # e.g. reader → search → hit: back to the reader
                self.pop_screen()
        else:
            self.push_screen(reader)

    def prepare_reader(self) -> ReaderScreen:
        """Build the reader screen now (the library calls this once it is idle).

        Building a screen's widgets costs ~150 ms; doing it while the user looks at the
        library makes the first document open as fast as the others.
        """
        if self._reader is None:
            from speechreader.tui.screens.reader import ReaderScreen

            self._reader = ReaderScreen(self.session)
            self.install_screen(self._reader, "reader")
            # Mount it off-screen (Textual 8 internals); a future Textual without this
            # method builds the screen on first push instead.
            with contextlib.suppress(AttributeError):
                self._get_screen("reader")
            self._warm_up()
        return self._reader

    @work(thread=True, group="warm-up")
    def _warm_up(self) -> None:
        """Load OpenCC's dictionaries and jieba's off the UI thread, before the first open."""
        from speechreader.core.text import converter, get_variant, segmenter

        variant = get_variant(self.session.variant)
        for config in (variant.to_simplified, variant.to_traditional):
            converter(config)
        segmenter()
        # jieba's dictionary is ~a million long-lived objects: out of the collector's walks,
        # or the next full collection (while a document opens) walks them all, ~0.2 s
        freeze_survivors()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Screens open from screens, never over a dialog or the command palette.

        ctrl+f (a priority key) used to open the search over the palette; ctrl+p then
        opened a second palette and Textual crashed on the duplicate (found by the
        monkey test). A dialog is answered or closed first.
        """
        if action in ("search", "codebook") and isinstance(self.screen, ModalScreen):
            return False
        if action == "command_palette":
            return not any(isinstance(screen, CommandPalette) for screen in self.screen_stack)
        return True

    def action_search(self, doc_id: str | None = None) -> None:
        """ctrl+f: search the whole corpus (the reader's / searches its document)."""
        if self.session.corpus is None:
            self.notify("The corpus is still loading", severity="warning")
            return
        from speechreader.tui.screens.search import SearchScreen

        if isinstance(self.screen, SearchScreen):
            self.screen.query_one("#query").focus()
            return
        self.push_screen(SearchScreen(self.session, doc_id=doc_id))

    def action_codebook(self) -> None:
        """C: the codebook as a tree: add, rename, recolour, describe, move, merge, delete."""
        from speechreader.tui.screens.codebook import CodebookScreen

        if isinstance(self.screen, CodebookScreen):
            return
        self.push_screen(CodebookScreen(self.session))

    def action_agreement(self) -> None:
        """A: intercoder agreement per tag, worst first; Enter opens a tag's disagreements."""
        from speechreader.tui.screens.agreement import AgreementScreen

        if self.session.corpus is None:
            self.notify("The corpus is still loading", severity="warning")
            return
        if not isinstance(self.screen, AgreementScreen):
            self.push_screen(AgreementScreen(self.session))

    def action_analysis(self) -> None:
        """Y: the analysis of the coding (kept while the app runs, so it comes back as left)."""
        from speechreader.tui.screens.analysis import AnalysisScreen

        if self.session.corpus is None:
            self.notify("The corpus is still loading", severity="warning")
            return
        if isinstance(self.screen, AnalysisScreen):
            return
        if self._analysis is None:
            self._analysis = AnalysisScreen(self.session)
            self.install_screen(self._analysis, "analysis")
        if self._analysis in self.screen_stack:
            while self.screen is not self._analysis:
                self.pop_screen()
        else:
            self.push_screen("analysis")

    def action_help(self) -> None:
        from speechreader.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette lists every key of the current screen as a command, plus variants."""
        from speechreader.tui.screens.reader import ReaderScreen

        yield from super().get_system_commands(screen)
        seen: set[str] = set()
        keyed = shortcut_keys(self.session.tags()) if isinstance(screen, ReaderScreen) else {}
        tag_of_key = {key: name for name, key in keyed.items()}
        for active in screen.active_bindings.values():
            binding = active.binding
            title = binding.description
            if not title or binding.action in ("quit", "help", "command_palette"):
                continue
            if binding.action.startswith("digit_tag("):
                title = digit_title(self.get_key_display(binding), tag_of_key)
                if title is None:  # a key no tag has yet: nothing to apply
                    continue
            if title in seen:
                title = f"{title} ({self.get_key_display(binding)})"
            seen.add(title)
            yield SystemCommand(
                title, f"key: {self.get_key_display(binding)}",
                partial(self.run_action, binding.action, active.node),
            )  # fmt: skip
        if isinstance(screen, ReaderScreen):
            for variant in VARIANTS.values():
                yield SystemCommand(
                    f"Variant: {variant.label}", "Switch the conversion standard",
                    partial(screen.set_variant, variant.name),
                )  # fmt: skip

    def on_unmount(self) -> None:
        self.session.close()
        thaw()  # what the reader froze may be collected again (tests run many apps)


def digit_title(key: str, tag_of_key: dict[int, str]) -> str | None:
    """The palette's name for a digit key: the tag it applies now ("Apply tag 2: 组织"),
    None for a key no tag has yet.

    The keys follow codebook order (the order tags were created), so the names are
    read afresh each time the palette opens: after a deletion they say the new tags.
    """
    name = tag_of_key.get(int(key)) if key.isdigit() else None
    if name is None:
        return None
    # The palette reads titles as Textual markup: "[" escaped shows a tag named [/] as
    # it is (textual.markup.escape would double a backslash standing before a "[").
    return f"Apply tag {key}: {visible(name).replace('[', chr(92) + '[')}"


def run_app(
    corpus_root: Path,
    db_path: Path,
    *,
    variant: str | None = None,
    coder: str | None = None,
    follow_links: bool | None = None,
) -> None:
    """Run the TUI until the user quits."""
    session = Session(
        corpus_root, db_path, variant=variant or "", coder=coder, follow_links=follow_links
    )
    app = SpeechreaderApp(session)
    app.run()
    if app.return_code:
        say_crashed(app)
        raise SystemExit(app.return_code)


def say_crashed(app: SpeechreaderApp) -> None:
    """After a crash: what happened, in a line, and where the traceback is."""
    error = app.crash
    what = f"{type(error).__name__}: {error}" if error is not None else "unknown error"
    lines = [f"speechreader stopped on an unexpected error ({visible(what)[:200]})."]
    if app.crash_report is not None:
        lines.append(f"The traceback is in {app.crash_report}")
        lines.append("(please send it with a bug report). Every change is saved as it is made:")
        lines.append("what you coded before the error is in the database.")
    elif error is not None:
        lines.append(f"No crash report could be written ({app.crash_report_problem}):")
        lines.extend(traceback.format_exception(error))
    print("\n".join(line.rstrip("\n") for line in lines), file=sys.stderr)
