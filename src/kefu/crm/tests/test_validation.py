import pytest

from kefu.core.errors import ValidationFailed
from kefu.crm.masking import mask_address, mask_certificate
from kefu.crm.validation import (
    validate_certificate,
    validate_mobile,
    validate_service_password,
)

from .factories import credit_code


def test_identity_card_number_with_a_correct_check_digit_is_accepted_and_normalised():
    assert validate_certificate("id_card", " 44010619900101123x ".replace("x", "5")) == "440106199001011235"
    assert validate_certificate("id_card", "11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize("value", ["440106199001011234", "4401061990010112", "44010619900101123A", ""])
def test_identity_card_number_with_wrong_shape_or_check_digit_is_refused(value):
    with pytest.raises(ValidationFailed):
        validate_certificate("id_card", value)


def test_credit_code_is_checked_and_other_types_by_shape():
    code = credit_code(42)
    assert validate_certificate("credit_code", code.lower()) == code
    with pytest.raises(ValidationFailed):
        validate_certificate("credit_code", code[:-1] + ("0" if code[-1] != "0" else "1"))
    assert validate_certificate("passport", "e12345678") == "E12345678"
    assert validate_certificate("hk_macao", "H12345678") == "H12345678"
    with pytest.raises(ValidationFailed):
        validate_certificate("hk_macao", "X12345678")
    with pytest.raises(ValidationFailed):
        validate_certificate("driving_licence", "123456")


@pytest.mark.parametrize("number", ["13912345678", "139 1234 5678", "139-1234-5678"])
def test_mobile_numbers_are_11_digits_starting_with_1(number):
    assert validate_mobile(number) == "13912345678"


@pytest.mark.parametrize("number", ["23912345678", "1391234567", "139123456789", "1391234567a", ""])
def test_bad_mobile_numbers_are_refused(number):
    with pytest.raises(ValidationFailed) as exc:
        validate_mobile(number)
    assert exc.value.code == "invalid_number"


@pytest.mark.parametrize("password", ["12345", "1234567", "12a456", "１３５７９０"])
def test_service_password_must_be_six_ascii_digits(password):
    with pytest.raises(ValidationFailed) as exc:
        validate_service_password(password)
    assert exc.value.code == "invalid_service_password"


@pytest.mark.parametrize("password", ["111111", "123456", "654321"])
def test_trivial_service_passwords_are_refused(password):
    with pytest.raises(ValidationFailed) as exc:
        validate_service_password(password)
    assert exc.value.code == "weak_service_password"


def test_masking_keeps_region_and_last_four_and_the_district():
    assert mask_certificate("440106199001011235") == "4401**********1235"
    assert mask_certificate("E1234567") == "E1****67"
    assert mask_address("广州市天河区体育西路123号") == "广州市天河区****"
    assert mask_address("深圳市南山区") == "深圳市****"
    assert mask_address("佛山市禅城区市东下路1号") == "佛山市禅城区****"
    assert mask_certificate("") == "" and mask_address("") == ""
