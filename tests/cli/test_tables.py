"""The terminal tables of the analysis commands: widths in cells, text shown literally."""

from __future__ import annotations

from speechreader.cli.tables import Column, print_table


def test_columns_align_by_terminal_cells_and_text_is_shown_literally(capsys):
    rows = [("郭声琨", 12), ("Li Jun", 3), ("a\x1b[31mb", 100), ("长" * 30, 7)]
    print_table(
        [Column("SPEAKER", lambda r: r[0], max_width=12), Column("N", lambda r: r[1], right=True)],
        rows,
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "SPEAKER         N",  # the widest cell is the cut one, 12 cells; "郭声琨" is 6
        "郭声琨         12",
        "Li Jun          3",
        "a␛[31mb       100",  # the escape shown as a picture, never sent to the terminal
        "长长长长长 …    7",  # cut: 11 cells (five wide characters, a space: no half) and …
    ]
