"""Cleaning order text of personal data before it becomes a case."""

from kefu.knowledge.cleaning import ID_MASK, MOBILE_MASK, clean_text, mask_name


def test_mobile_numbers_are_masked_in_every_usual_form():
    for raw in ("13800138000", "138-0013-8000", "138 0013 8000", "+8613800138000", "86 13800138000"):
        assert clean_text(f"联系电话{raw}。") == f"联系电话{MOBILE_MASK}。", raw


def test_identity_card_numbers_are_masked_18_and_15_digits_and_x():
    assert clean_text("身份证440106199001011234") == f"身份证{ID_MASK}"
    assert clean_text("证件11010519491231002X号") == f"证件{ID_MASK}号"
    assert clean_text("旧证440106900101123") == f"旧证{ID_MASK}"


def test_landlines_long_numbers_and_emails_are_masked():
    assert clean_text("座机020-87654321") == "座机0***-********"
    assert clean_text("银行卡6222021234567890123") == "银行卡****"
    assert clean_text("邮箱chen.dawen@example.com") == "邮箱***@***"


def test_ordinary_numbers_stay():
    text = "拨打10086，套餐128元，2026年3月1日，减免50%，工单TS20261124000123。"
    assert clean_text(text) == text


def test_the_customers_name_and_given_name_are_masked():
    text = "客户陈大文来电，大文表示不满，陈先生要求减免。"
    assert clean_text(text, names=["陈大文"]) == "客户陈**来电，**表示不满，陈先生要求减免。"


def test_compound_surnames_and_two_character_names():
    assert mask_name("欧阳晓明") == "欧阳**"
    assert mask_name("王伟") == "王*"
    assert clean_text("欧阳晓明和王伟", names=["欧阳晓明", "王伟", "", "李"]) == "欧阳**和王*"


def test_empty_text():
    assert clean_text("", names=["陈大文"]) == ""
