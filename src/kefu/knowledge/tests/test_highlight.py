"""Highlighting: marks on the original text, escaped, merged, windowed."""

from kefu.knowledge.highlight import highlight as hl
from kefu.knowledge.highlight import marked_spans, snippet


def test_adjacent_bigram_matches_merge_into_one_mark():
    assert hl("国际漫游业务开通流程", "国际漫游开通") == "<mark>国际漫游</mark>业务<mark>开通</mark>流程"


def test_ascii_terms_match_case_insensitively_and_keep_the_original_case():
    assert hl("支持VoLTE的5G手机", "volte 5g") == "支持<mark>VoLTE</mark>的<mark>5G</mark>手机"


def test_full_width_text_is_marked_in_its_original_form():
    assert hl("开通５Ｇ套餐", "5G") == "开通<mark>５Ｇ</mark>套餐"


def test_everything_is_escaped_including_inside_marks():
    assert hl("<b>漫游</b> & 资费", "漫游") == "&lt;b&gt;<mark>漫游</mark>&lt;/b&gt; &amp; 资费"
    assert hl("<script>", "script") == "&lt;<mark>script</mark>&gt;"


def test_no_query_marks_nothing():
    assert hl("漫游", "") == "漫游"
    assert marked_spans("", "漫游") == []


def test_a_one_character_query_marks_that_character_only():
    assert hl("手机卡补卡", "卡") == "手机<mark>卡</mark>补<mark>卡</mark>"


def test_snippet_shows_the_window_with_the_most_matches_with_ellipses():
    text = "开头无关内容。" * 30 + "国际漫游开通需要身份证。" + "结尾无关内容。" * 30
    s = snippet(text, "国际漫游", size=40)
    assert s.startswith("…") and s.endswith("…")
    assert "<mark>国际漫游</mark>" in s
    assert len(s.replace("<mark>", "").replace("</mark>", "")) <= 44


def test_snippet_of_short_text_is_the_whole_text_with_whitespace_collapsed():
    assert snippet("漫游\n\n  资费", "资费") == "漫游 <mark>资费</mark>"


def test_snippet_never_cuts_a_mark_in_two():
    text = "无关" * 50 + "国际漫游" + "无关" * 50
    s = snippet(text, "国际漫游", size=10)
    assert "<mark>国际漫游</mark>" in s


def test_snippet_without_match_starts_at_the_beginning():
    s = snippet("甲乙丙丁" * 50, "漫游", size=20)
    assert s.startswith("甲乙丙丁") and s.endswith("…")
