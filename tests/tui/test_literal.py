"""User text is shown literally: markup is not parsed and control characters are visible."""

from __future__ import annotations

from speechreader.tui.literal import compose, literal, visible


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
