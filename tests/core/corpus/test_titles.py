"""Titles read from the text when metadata.csv gives none.

The expected titles were written out by hand after reading each file: the title is
the first line of the opening block that reads like one (not a salutation, a date, a
byline or the body's first sentence), else the file name.
"""

from __future__ import annotations

import pytest

from speechreader.core.corpus import Corpus
from speechreader.core.corpus._titles import is_date_or_byline, is_salutation, title_from_text
from tests.conftest import SEED_CORPUS


def test_seed_files_without_metadata_get_the_titles_a_reader_would_give_them():
    if not SEED_CORPUS.is_dir():
        pytest.skip("../shared/seed_corpus is not beside this checkout")
    titles = {d.id: d.title for d in Corpus.load(SEED_CORPUS)}
    assert titles == {
        # a news report: every line is a paragraph, the last a sentence with the byline
        "000_db6813f5454ee617": "000_db6813f5454ee617",
        # the headline, before the source-and-date line and the speaker
        "001_17572f70e75e8650": (
            "敢于担当 主动作为 当好西昌科学发展的“排头兵” 在西郊片区工作汇报会上的讲话"
        ),
        # the headline, before 來源: and 同志們:
        "002_816fd40f4b4d2513": "三級幹部大會發言大綱",
        # a report that opens with its body; the short lines further down are its
        # teaser questions and section headings (書記應該怎么當, 履行好政治責任)
        "003_e544a0b85fdcd8d7": "003_e544a0b85fdcd8d7",
        # a report that opens with its body (按照中央开展……) and has no heading at all
        "004_b4d4ecffdfeb33d9": "004_b4d4ecffdfeb33d9",
    }


def test_sample_corpus_without_metadata(sample_corpus):
    (sample_corpus / "metadata.csv").unlink()
    titles = {d.id: d.title for d in Corpus.load(sample_corpus)}
    assert titles == {
        "2011-12-06_guo-shengkun_guangxi": "2011-12-06_guo-shengkun_guangxi",
        "2018-06-07_li-jun_xichang": (
            "敢于担当 主动作为 当好西昌科学发展的“排头兵” 在西郊片区工作汇报会上的讲话"
        ),
        "2019-06-27_lu-xinshe_guangxi": "2019-06-27_lu-xinshe_guangxi",
        "2024-01-05_wang-ning_yunnan": "2024-01-05_wang-ning_yunnan",
        "undated_three-level-cadres-conference": "三級幹部大會發言大綱",
    }


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # the salutation opens the body: no title, whatever follows
        ("各位代表！\n\n现在，我代表国务院，向大会报告政府工作，请予审议。\n", None),
        ("同志们：\n今天我们召开全县三级干部大会。\n", None),
        ("同志們:\n\n今天\n", None),
        ("尊敬的各位来宾、女士们、先生们：\n大家好！\n今天，我们在这里隆重集会！\n", None),
        # a title block: title, subtitle, speaker, salutation
        (
            "政府工作报告\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n"
            "国务院总理　李强\n\n各位代表：\n\n现在，我代表国务院，向大会报告政府工作。\n",
            "政府工作报告",
        ),
        # date, source and page lines before the title are passed over
        ("2018年6月7日\n在西郊片区工作汇报会上的讲话\n同志们：\n", "在西郊片区工作汇报会上的讲话"),
        ("（2023年12月20日）\n在全省经济工作会议上的讲话\n", "在全省经济工作会议上的讲话"),
        ("来源：人民网\n发布时间：2019-06-27 10:12\n不忘初心、牢记使命\n", "不忘初心、牢记使命"),
        ("首页 > 新闻中心 > 领导讲话\n在全市经济工作会议上的讲话\n", "在全市经济工作会议上的讲话"),
        ("西昌都市报 2018-06-07 09:45 大字\n敢于担当 主动作为\n", "敢于担当 主动作为"),
        (
            "http://www.gov.cn/xinwen/\n\u3000\u3000关于加强基层治理的讲话\n",
            "关于加强基层治理的讲话",
        ),
        # a year is part of a title; a date inside a title does not make it a date line
        ("2024年政府工作报告\n各位代表：\n", "2024年政府工作报告"),
        (
            "在全省经济工作会议上的讲话（2023年12月20日）\n",
            "在全省经济工作会议上的讲话（2023年12月20日）",
        ),
        # the body's first sentence, a numbered section, a long paragraph: not titles
        ("12月6日,廣西縣長培訓班開班儀式在南寧舉行。\n縣長培訓班\n", None),
        ("今天，我们在这里隆重集会！\n", None),
        ("一、总体要求\n要坚持稳中求进。\n", None),
        ("字" * 61 + "\n短行\n", None),
        ("", None),
    ],
)
def test_title_from_text(text, title):
    assert title_from_text(text) == title


@pytest.mark.parametrize(
    "line",
    ["同志们：", "同志們:", "各位代表！", "女士们、先生们！", "各位领导、同志们：", "大家好！"],
)
def test_salutations(line):
    assert is_salutation(line)


@pytest.mark.parametrize("line", ["奋力谱写新篇章！", "同志们的期盼", "代表团审议"])
def test_not_salutations(line):
    assert not is_salutation(line)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("西昌都市报 2018-06-07 09:45 大字", True),
        ("來源:瑞文範文網 1.5W", True),
        ("撰文:李星佺 黃佳倫", True),
        ("新华社北京3月5日电", True),
        ("二〇一八年六月七日", True),
        ("在2019年6月27日党课上的讲话", False),
        ("三級幹部大會發言大綱", False),
    ],
)
def test_date_and_byline_lines(line, expected):
    assert is_date_or_byline(line) is expected
