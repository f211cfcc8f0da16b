"""GSM-7 and UCS-2 lengths, segments and joining (pure; property tests with Hypothesis)."""

from hypothesis import given
from hypothesis import strategies as st

from kefu.outlets import smsparts

GSM_CHARS = st.sampled_from(sorted(set(smsparts.GSM7_BASIC) - {"\x1b"} | set(smsparts.GSM7_EXTENSION)))


def test_plain_latin_is_gsm7_and_fits_160_in_one():
    assert smsparts.count("a" * 160) == ("gsm7", 1)
    assert smsparts.count("a" * 161) == ("gsm7", 2)
    assert smsparts.count("a" * 306) == ("gsm7", 2)  # 2 × 153
    assert smsparts.count("a" * 307) == ("gsm7", 3)


def test_extension_characters_count_two_septets():
    assert smsparts.length("€[]") == 6
    assert smsparts.count("€" * 80) == ("gsm7", 1)
    assert smsparts.count("€" * 81) == ("gsm7", 2)


def test_chinese_is_ucs2_70_single_67_per_segment():
    assert smsparts.count("话" * 70) == ("ucs2", 1)
    assert smsparts.count("话" * 71) == ("ucs2", 2)
    assert smsparts.count("话" * 134) == ("ucs2", 2)
    assert smsparts.count("话" * 135) == ("ucs2", 3)
    assert smsparts.encoding_of("Hello 你好") == "ucs2"


def test_segments_carry_one_reference_and_never_split_an_escape_or_a_surrogate_pair():
    text = "a" * 152 + "€" + "b" * 10
    encoding, segments = smsparts.split(text, ref=300)
    assert encoding == "gsm7" and [s.text[-1:] for s in segments][0] == "a"
    assert segments[1].text.startswith("€") and {s.ref for s in segments} == {44}
    assert segments[0].udh == "0500032C0201" and segments[1].udh == "0500032C0202"
    emoji = "话" * 66 + "😀" + "话" * 5
    _enc, parts = smsparts.split(emoji)
    assert parts[0].text == "话" * 66 and parts[1].text.startswith("😀")


def test_udh_is_parsed_in_8_and_16_bit_forms_and_nonsense_is_refused():
    assert smsparts.parse_udh("050003A10302") == (0xA1, 3, 2)
    assert smsparts.parse_udh("0608040102030" + "1") == (0x0102, 3, 1)
    assert smsparts.parse_udh("050003A10304") is None
    assert smsparts.parse_udh("zz") is None


@given(st.text(GSM_CHARS, max_size=800))
def test_gsm7_segments_fit_and_join_back(text):
    encoding, segments = smsparts.split(text, ref=7)
    assert encoding == "gsm7"
    limit = 160 if len(segments) == 1 else 153
    assert all(smsparts.length(s.text, "gsm7") <= limit for s in segments)
    assert smsparts.join([(s.seq, s.text) for s in reversed(segments)]) == text
    assert len(segments) == smsparts.count(text)[1]


@given(st.text(min_size=1, max_size=600).filter(lambda t: not smsparts.is_gsm7(t)))
def test_ucs2_segments_fit_and_join_back(text):
    encoding, segments = smsparts.split(text)
    assert encoding == "ucs2"
    limit = 70 if len(segments) == 1 else 67
    assert all(smsparts.length(s.text, "ucs2") <= limit for s in segments)
    assert smsparts.join([(s.seq, s.text) for s in segments]) == text
    assert len(segments) == smsparts.count(text)[1]
