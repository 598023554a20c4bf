"""A document's title read from its text, for corpora without a title in metadata.csv.

A scraped speech opens with a block of short lines before the body: page chrome
(首页 > 要闻), the headline, a subtitle (——在……上的讲话), the date, the source and
byline (来源：…, 撰文：…), the speaker, the salutation (同志们：, 各位代表！). The title
is the first line of that block that reads like one. Once the body has begun (the
salutation, a sentence with 。, a long paragraph, a numbered section), a short line is
a section heading (seed 003's 履行好政治責任) and would mislabel the whole speech, so
the search stops there and the caller falls back to the file name.

Pure string rules, in both scripts: this runs once per file on a corpus's first load.
"""

from __future__ import annotations

import re

TITLE_MAX_CHARS = 60  # a longer line is a paragraph, not a title
HEAD_LINES = 12  # non-empty lines the opening block may take before we give up

_CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
_SPACE = " \t\u3000\u00a0"

#: Who a salutation addresses: 同志们, 各位代表, 尊敬的各位来宾、女士们、先生们 ...
_ADDRESSEES = (
    "同志|代表|委员|委員|朋友|来宾|來賓|嘉宾|嘉賓|女士|先生|领导|領導|老师|老師|同学|同學|"
    "战友|戰友|乡亲|鄉親|家人|人士|青年|同仁|同事|校友|父老"
)
_SALUTATION_PART = re.compile(
    "(?:尊敬的|敬爱的|敬愛的|亲爱的|親愛的)?(?:各位|诸位|諸位|全体|全體)?.{0,8}?"
    f"(?:{_ADDRESSEES})[们們]?"
)
_GREETING = re.compile("(?:大家|各位|你们|你們|您)?(?:上午|下午|晚上|早上)?好")
_SALUTATION_SPLIT = re.compile("[、，,和及与與]")
_SALUTATION_END = "：:！!，,"

#: A source, byline or page line, by its first word: 来源：人民网, 撰文：李星佺 …
_BYLINE_START = re.compile(
    "^[【\\[（(]?(?:来源|來源|作者|记者|記者|本报记者|本報記者|撰文|撰稿|编辑|編輯|责编|責編|"
    "责任编辑|責任編輯|通讯员|通訊員|发布|發布|发表|發表|时间|時間|日期|浏览|瀏覽|阅读|閱讀|"
    "点击|點擊|字号|字號|出处|出處|供稿|稿源|原标题|原標題|编者按|編者按|摄影|攝影|分享到|"
    "首页|首頁|当前位置|當前位置|您的位置|您现在的位置|您現在的位置)"
)
#: Page chrome words a date line carries around it (西昌都市报 2018-06-07 09:45 大字).
_CHROME_WORDS = re.compile("大字|中字|小字|字号|字號|打印|收藏|分享|评论|評論|浏览|瀏覽|次")
_BREADCRUMB = re.compile("[>»＞›]")
_DATE = re.compile(
    "\\d{4}\\s*[-/.年]\\s*\\d{1,2}\\s*[-/.月]\\s*\\d{1,2}\\s*日?"
    "|\\d{1,2}\\s*月\\s*\\d{1,2}\\s*日"
    "|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日"
    "|\\d{1,2}[:：]\\d{2}(?:[:：]\\d{2})?"
    "|星期[一二三四五六日天]"
)
_DATE_LEFTOVER_MAX = 6  # 新华社北京电, 西昌都市报: a source around a date, not a title
_NUMBERED = re.compile(
    "^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\\d]+[）)]|\\d+[、.．]"
    "|第[一二三四五六七八九十百\\d]+[章节節部条條点點件])"
)
_SUBTITLE = re.compile("^(?:——|—|－－|--)")
_SENTENCE = re.compile("[。；;]")
_CLAUSE_END = "，,、"


def is_salutation(line: str) -> bool:
    """同志们：, 各位代表！, 尊敬的各位来宾、女士们、先生们：, 大家好！ — not a title."""
    if len(line) > 30:
        return False
    body = line.rstrip(_SALUTATION_END + _SPACE)
    if not body or body == line:  # an address ends with its mark: 同志们： 各位代表！
        return False
    parts = [p.strip(_SPACE) for p in _SALUTATION_SPLIT.split(body) if p.strip(_SPACE)]
    return bool(parts) and all(
        _SALUTATION_PART.fullmatch(p) or _GREETING.fullmatch(p) for p in parts
    )


def is_date_or_byline(line: str) -> bool:
    """A date, time, source or byline line (or page chrome), however it is dressed."""
    if _BYLINE_START.match(line) or len(_BREADCRUMB.findall(line)) >= 2:
        return True
    if not _DATE.search(line):
        return False
    rest = _CHROME_WORDS.sub("", _DATE.sub("", line))
    rest = "".join(ch for ch in rest if _CJK.match(ch) or ch.isalpha())
    return len(rest) <= _DATE_LEFTOVER_MAX


def line_kind(line: str) -> str:
    """``title``, ``skip`` (a line of the opening block that is not the title) or ``body``."""
    if not _CJK.search(line):
        return "skip"  # a URL, a number, "1.5W", a rule of stars
    if is_salutation(line):
        return "body"  # the speech begins: what follows is what the speaker says
    if is_date_or_byline(line) or _SUBTITLE.match(line):
        return "skip"
    if len(line) > TITLE_MAX_CHARS or _SENTENCE.search(line) or _NUMBERED.match(line):
        return "body"
    if line.endswith(tuple(_CLAUSE_END)):
        return "body"
    if line.endswith(("！", "!")) and any(c in line for c in _CLAUSE_END):
        return "body"  # 今天，我们在这里隆重集会！
    if line.endswith(("：", ":")):
        return "skip"  # 编者按： and the like; a lead-in to the body is caught above or below
    return "title"


def title_from_text(text: str) -> str | None:
    """The first line of the opening block that reads like a title, or None."""
    seen = 0
    for raw in text.split("\n", 200):  # the opening block, not a 750 KB text's every line
        line = raw.strip()
        if not line:
            continue
        kind = line_kind(line)
        if kind == "title":
            return line
        seen += 1
        if kind == "body" or seen >= HEAD_LINES:
            return None
    return None
