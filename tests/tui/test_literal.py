"""User text is shown literally: markup is not parsed and control characters are visible."""

from __future__ import annotations

from rich.text import Text

from speechreader.tui.literal import cleaned, compose, editable, edited, literal, shown, visible


def test_markup_stays_text():
    assert literal("关于[/]问题的报告").plain == "关于[/]问题的报告"
    link = literal("[@click=app.quit]点我退出[/]")
    assert link.plain == "[@click=app.quit]点我退出[/]"
    assert link.spans == []


def test_escape_sequences_become_pictures():
    assert visible("a\x1b[31mb\tc\n") == "a␛[31mb␉c␊"


def test_compose_keeps_each_piece_literal_and_styled():
    text = compose("tag ", ("[b]x[/b]", "bold"), " saved")
    assert text.plain == "tag [b]x[/b] saved"
    assert [(s.start, s.end, s.style) for s in text.spans] == [(4, 12, "bold")]


def test_lines_keep_line_breaks_but_not_other_controls():
    assert visible("a\nb\x1b", lines=True) == "a\nb␛"
    assert literal("x\ny\x07", lines=True).plain == "x\ny␇"


def test_cleaned_pictures_escapes_in_a_built_text_and_keeps_its_styles():
    text = Text()
    text.append("tag ", style="dim")
    text.append("\x1b[31m", style="bold")
    out = cleaned(text)
    assert out.plain == "tag ␛[31m"
    assert [(s.start, s.end, str(s.style)) for s in out.spans] == [(0, 4, "dim"), (4, 9, "bold")]
    assert text.plain == "tag \x1b[31m"  # the original is left alone


def test_shown_takes_either_form():
    assert shown("[/]").plain == "[/]"
    assert shown(Text("a\x1b")).plain == "a␛"


def test_editing_shows_pictures_and_gives_the_characters_back():
    memo = "第一行\x1b[31m\t\x07\r\n第二行\x7f"
    shown_for_editing = editable(memo)
    assert shown_for_editing == "第一行␛[31m␉␇␍\n第二行␡"
    assert edited(shown_for_editing) == memo
    assert edited(shown_for_editing + "加") == memo + "加"
