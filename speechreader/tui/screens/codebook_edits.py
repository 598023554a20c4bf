"""What the codebook screen's keys do to the store: each a dialog or two, then one change.

Kept apart from the screen's display so that each module stays readable. Each flow
checks first that the database can be written (a read-only database gets a message,
not a dialog whose answer would be thrown away), says before renaming, merging or
deleting how many annotations the change touches, and then makes exactly one store
call: one undo step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from speechreader.core.errors import InvalidInput, SpeechreaderError
from speechreader.core.store import Store, TreeRow, clean_tag_name, plural, shifted_keys
from speechreader.tui.dialogs.colour_picker import ColourPicker
from speechreader.tui.dialogs.confirm import Confirm
from speechreader.tui.dialogs.prompt import TextPrompt
from speechreader.tui.dialogs.tag_chooser import TagChooser
from speechreader.tui.dialogs.tag_form import TagForm, near_duplicate_question

if TYPE_CHECKING:
    from textual.screen import Screen

    from speechreader.tui.session import Session

    _Base = Screen[None]
else:
    _Base = object

T = TypeVar("T")


def quoted(name: str) -> str:
    return f"“{name}”"


def carry(count: int) -> str:
    """Say "1 annotation carries it" or "3 annotations carry it"."""
    return f"{plural(count, 'annotation')} {'carries' if count == 1 else 'carry'} it"


def emptied(passages: int, deleted: int, *, past: bool = False) -> str:
    """Say "3 passages lose the tag; 2 annotations had nothing else and are deleted"."""
    lose = ("loses" if passages == 1 else "lose") if not past else "lost"
    verb = ("is" if deleted == 1 else "are") if not past else ("was" if deleted == 1 else "were")
    return (
        f"{plural(passages, 'passage')} {lose} the tag; {plural(deleted, 'annotation')} "
        f"had nothing else and {verb} deleted"
    )


def children_move(count: int) -> str:
    """Start a sentence with "Its child tag moves" or "Its 2 child tags move"."""
    return "Its child tag moves" if count == 1 else f"Its {count} child tags move"


def key_shift(session: Session, removed: str) -> str:
    """A sentence on the reader's keys 1-9 that change when ``removed`` leaves the
    codebook ("" if none does): they follow codebook order, so later tags move down."""
    moves = shifted_keys(session.tags(), removed)
    if not moves:
        return ""
    said = ", ".join(f"{quoted(name)} {old or '–'}→{new or '–'}" for name, old, new in moves)
    return f" The reader's keys of the tags after it move down by one: {said}."


class CodebookEdits(_Base):
    """The add / rename / recolour / describe / move / merge / delete flows (a mixin).

    The screen provides ``session``, ``rows``, ``current``, ``current_name`` and
    ``refresh_rows``.
    """

    session: Session
    rows: list[TreeRow]
    current: TreeRow | None
    current_name: str | None

    if TYPE_CHECKING:

        def refresh_rows(self, select: str | None = None) -> None: ...

    # --- changing the store -------------------------------------------------------

    def _read_only_reason(self) -> str:
        return self.session.store_error or "the database is open read-only"

    def _writable_store(self) -> Store | None:
        """The store, or None after saying plainly why the codebook cannot change."""
        store = self.session.store
        if store is None or not self.session.writable:
            self.notify(
                f"Cannot change the codebook: {self._read_only_reason()}",
                severity="error",
                timeout=6,
            )
            return None
        return store

    def _change(
        self,
        what: Callable[[Store], T],
        done: Callable[[T], str],
        *,
        select: str | None = None,
        failed: str = "Not changed",
    ) -> bool:
        """Run one store change; report failure as a message; redraw from the store."""
        store = self._writable_store()
        if store is None:
            return False
        try:
            result = what(store)
        except SpeechreaderError as exc:
            self.notify(f"{failed}: {exc}", severity="error", timeout=8)
            self.refresh_rows(select=self.current_name)
            return False
        self.refresh_rows(select=select or self.current_name)
        self.notify(done(result), timeout=4)
        return True

    def _target(self, verb: str) -> TreeRow | None:
        """The tag a key acts on (the highlighted row), checking first that we may write."""
        if self._writable_store() is None:
            return None
        row = self.current
        if row is None:
            self.notify(f"No tag to {verb}: press a to add one", severity="warning", timeout=4)
        return row

    def _names(self) -> set[str]:
        return {row.tag.name for row in self.rows}

    # --- actions ------------------------------------------------------------------

    def action_add(self) -> None:
        if self._writable_store() is None:
            return
        taken = self._names()

        def check_name(text: str) -> str:
            name = clean_tag_name(text)
            if name in taken:
                raise InvalidInput(f"the tag {name!r} already exists")
            return name

        def got(answer: tuple[str, str] | None) -> None:
            if answer is not None:
                add(*answer)

        def add(name: str, description: str) -> None:
            self._change(
                lambda store: store.add_tag(name, description=description),
                lambda tag: f"Added {quoted(tag.name)} in {tag.colour} (u to undo)",
                select=name,
                failed="Not added",
            )

        tags = [row.tag for row in self.rows]
        self.app.push_screen(TagForm(tags, check=check_name), got)

    def action_rename(self) -> None:
        row = self._target("rename")
        if row is None:
            return
        old = row.tag.name
        others = self._names() - {old}

        def check_name(text: str) -> str:
            name = clean_tag_name(text)
            if name in others:
                raise InvalidInput(
                    f"the tag {name!r} already exists: to join the two, merge (M) instead"
                )
            return name

        def asked(new: str | None) -> None:
            if new is None or new == old:
                return
            others = [r.tag for r in self.rows if r.tag.name != old]
            question = near_duplicate_question(new, others, rename_from=old)
            if question is None:
                rename(new)
            else:
                self.app.push_screen(question, lambda yes: rename(new) if yes else None)

        def rename(new: str) -> None:
            self._change(
                lambda store: store.update_tag(old, new_name=new),
                lambda _: (
                    f"Renamed {quoted(old)} to {quoted(new)}"
                    + (f" on {plural(row.count, 'annotation')}" if row.count else "")
                    + " (u to undo)"
                ),
                select=new,
                failed="Not renamed",
            )

        detail = (
            f"{carry(row.count)}: it is renamed there too."
            if row.count
            else "No annotation carries it yet."
        )
        self.app.push_screen(
            TextPrompt(f"Rename {quoted(old)}", old, detail=detail, check=check_name), asked
        )

    def action_recolour(self) -> None:
        row = self._target("recolour")
        if row is None:
            return
        name = row.tag.name

        def recolour(colour: str | None) -> None:
            if colour is None or colour == row.tag.colour:
                return
            self._change(
                lambda store: store.update_tag(name, colour=colour),
                lambda _: f"{quoted(name)} is now {colour} (u to undo)",
                select=name,
                failed="Colour not changed",
            )

        tags = [r.tag for r in self.rows]
        self.app.push_screen(ColourPicker(row.tag, tags, f"Colour of {quoted(name)}"), recolour)

    def action_describe(self) -> None:
        row = self._target("describe")
        if row is None:
            return
        name = row.tag.name

        def describe(text: str | None) -> None:
            if text is None or text == row.tag.description:
                return
            self._change(
                lambda store: store.update_tag(name, description=text),
                lambda _: f"Description of {quoted(name)} saved (u to undo)",
                select=name,
                failed="Description not saved",
            )

        self.app.push_screen(
            TextPrompt(
                f"Description of {quoted(name)}",
                row.tag.description,
                detail="What the tag means, for whoever codes with it (empty to remove).",
            ),
            describe,
        )

    def action_move(self) -> None:
        row = self._target("move")
        if row is None:
            return
        name, parent = row.tag.name, row.tag.parent

        def move(chosen: str | None) -> None:
            if chosen is None:
                return
            new_parent = chosen or None
            if new_parent == parent:
                self.notify(f"{quoted(name)} is already there", timeout=3)
                return
            where = f"under {quoted(new_parent)}" if new_parent else "to the top level"
            self._change(
                lambda store: store.update_tag(name, parent=new_parent),
                lambda _: f"Moved {quoted(name)} {where} (u to undo)",
                select=name,
                failed="Not moved",
            )

        now = f"Now under {quoted(parent)}." if parent else "Now at the top level."
        chooser = TagChooser(
            self.rows,
            f"Move {quoted(name)} under…",
            detail=f"{now} Its child tags move with it.",
            top_level=True,
            current=name,
        )
        self.app.push_screen(chooser, move)

    def action_merge(self) -> None:
        row = self._target("merge")
        if row is None:
            return
        source = row.tag.name
        children = [r.tag.name for r in self.rows if r.tag.parent == source]

        def confirm(target: str | None) -> None:
            if not target:
                return
            detail = (
                f"{plural(row.count, 'annotation')} tagged {quoted(source)} will be tagged "
                f"{quoted(target)} instead; {quoted(source)} leaves the codebook."
            )
            if children:
                detail += f" {children_move(len(children))} under {quoted(target)}."
            detail += key_shift(self.session, source)
            self.app.push_screen(
                Confirm(f"Merge {quoted(source)} into {quoted(target)}?", detail + " (u undoes)"),
                lambda yes: merge(target) if yes else None,
            )

        def merge(target: str) -> None:
            self._change(
                lambda store: store.merge_tags(source, target),
                lambda moved: (
                    f"Merged {quoted(source)} into {quoted(target)}: "
                    f"{plural(moved, 'annotation')} moved (u to undo)"
                ),
                select=target,
                failed="Not merged",
            )

        chooser = TagChooser(
            self.rows,
            f"Merge {quoted(source)} into…",
            detail="Choose the tag that stays: its annotations gain this tag's passages.",
            current=source,
        )
        self.app.push_screen(chooser, confirm)

    def action_delete(self) -> None:
        row = self._target("delete")
        if row is None:
            return
        name = row.tag.name
        children = [r.tag.name for r in self.rows if r.tag.parent == name]
        try:
            preview = self.session.store.tag_deletion(name)  # type: ignore[union-attr]
        except SpeechreaderError as exc:
            self.notify(f"Not deleted: {exc}", severity="error", timeout=8)
            return
        if preview.deleted:
            detail = f"{emptied(preview.passages, preview.deleted)}."
        elif preview.passages:
            detail = (
                f"{carry(preview.passages)}. The annotations stay, with their "
                f"passages, memos and other tags; only {quoted(name)} is removed from them."
            )
        else:
            detail = "No annotation carries it."
        if children:
            heir = quoted(row.tag.parent) if row.tag.parent else "the top level"
            detail += f" {children_move(len(children))} up to {heir}."
        detail += key_shift(self.session, name)

        def delete(yes: bool | None) -> None:
            if not yes:
                return
            self._change(
                lambda store: store.delete_tag(name),
                lambda done: (
                    f"Deleted {quoted(name)}: {emptied(done.passages, done.deleted, past=True)}"
                    " (u to undo)"
                    if done.deleted
                    else f"Deleted {quoted(name)}; removed from "
                    f"{plural(done.passages, 'annotation')} (u to undo)"
                ),
                failed="Not deleted",
            )

        self.app.push_screen(
            Confirm(f"Delete the tag {quoted(name)}?", detail + " (u undoes)"), delete
        )
