"""The bigram tokeniser: what both engines index and query."""

from kefu.knowledge.tokenize import MAX_QUERY_TOKENS, MAX_WORD, index_text, query_tokens, runs, tokens


def texts(ts):
    return [t.text for t in ts]


def test_chinese_becomes_overlapping_bigrams():
    assert texts(tokens("国际漫游")) == ["国际", "际漫", "漫游"]


def test_punctuation_and_spaces_split_runs_so_no_bigram_crosses_them():
    assert texts(tokens("漫游，开通 流程")) == ["漫游", "开通", "流程"]


def test_ascii_words_and_numbers_are_whole_lowercased_tokens_between_chinese():
    assert texts(tokens("5G套餐每月128元VoLTE")) == ["5g", "套餐", "餐每", "每月", "128", "元", "volte"]


def test_full_width_forms_are_normalised():
    assert texts(tokens("５Ｇ　ＶｏＬＴＥ")) == ["5g", "volte"]


def test_a_single_chinese_character_is_its_own_token():
    assert texts(tokens("补 卡")) == ["补", "卡"]


def test_documents_also_index_single_characters_so_one_character_queries_match():
    assert index_text("手机卡") == "手机 机卡 手 机 卡"
    assert query_tokens("卡") == ["卡"]
    assert "卡" in index_text("手机卡").split()


def test_query_tokens_are_distinct_in_order_and_bounded():
    assert query_tokens("漫游 漫游 开通") == ["漫游", "开通"]
    long_query = "".join(chr(0x4E00 + i) for i in range(100))
    assert len(query_tokens(long_query)) == MAX_QUERY_TOKENS


def test_token_spans_point_into_the_original_text():
    text = "请开通５Ｇ漫游"
    for t in tokens(text, unigrams=True):
        original = text[t.start:t.end]
        assert texts(tokens(original)) == [t.text] or t.text in index_text(original).split()
    (five_g,) = [t for t in tokens(text) if t.text == "5g"]
    assert text[five_g.start:five_g.end] == "５Ｇ"


def test_overlong_words_are_cut_and_symbols_dropped():
    assert texts(tokens("a" * 100)) == ["a" * MAX_WORD]
    assert tokens("，。！？@#￥%……&*（）") == []
    assert [r.kind for r in runs("abc中文")] == ["w", "c"]


def test_other_scripts_are_handled_without_error():
    assert texts(tokens("Café 한국어 テスト")) == ["café", "한국", "국어", "テス", "スト"]
