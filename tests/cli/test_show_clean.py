"""``show --clean``: the speech without pinyin glosses and doubled punctuation."""

from __future__ import annotations

GUO = "2011-12-06_guo-shengkun_guangxi"
WANG = "2024-01-05_wang-ning_yunnan"
XICHANG = "2018-06-07_li-jun_xichang"


def test_show_clean_hides_glosses_and_doubled_marks(run, sample_texts):
    raw = run("show", WANG)
    clean = run("show", WANG, "--clean")
    assert clean.code == 0
    assert raw.out.startswith("1月5日,,新年第一周,,省委書記王寧")
    assert clean.out.startswith("1月5日,新年第一周,省委書記王寧")
    assert "切實發(fā)揮好" in raw.out and "切實發揮好" in clean.out
    assert "(fā)" not in clean.out and ",," not in clean.out
    assert "燃氣、?;?、交通" in clean.out  # lost characters are shown, not cleaned away
    assert clean.out.count("\n") == raw.out.count("\n")


def test_show_clean_converts_the_clean_text(run):
    simplified = run("show", GUO, "--clean", "--script", "simplified")
    assert simplified.code == 0
    assert simplified.out.startswith(
        "12月6日,广西县(市、区)长培训班开班仪式在南宁举行。自治区党委书记"
    )
    assert "追赶跨越??h级党政正职" in simplified.out  # mojibake stays visible


def test_show_clean_of_a_clean_speech_is_the_speech(run, sample_texts):
    assert run("show", XICHANG, "--clean").out == run("show", XICHANG).out
