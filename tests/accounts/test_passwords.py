"""Password rules: Vietnamese favourites are refused, a passphrase with diacritics is welcome."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from schools.roles import Role


@pytest.mark.parametrize(
    "password",
    ["Cô giáo dạy em yêu trường lớp", "mùa thu lá vàng rơi bên hồ Gươm", "Bánh chưng xanh 2026!"],
)
def test_vietnamese_passphrases_are_accepted(db, password):
    validate_password(password)


@pytest.mark.parametrize(
    "password",
    ["matkhau123", "Mật khẩu 123", "MATKHAU123456", "anhyeuem1990", "Anh yêu em!!", "123456789"],
)
def test_common_vietnamese_passwords_are_refused(db, password):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    codes = {error.code for error in refused.value.error_list}
    assert codes & {"password_too_common_vi", "password_too_common", "password_too_short"}


def test_mat_khau_123_is_refused_by_the_vietnamese_list(db):
    from accounts.passwords import CommonVietnamesePasswordValidator

    for password in ("matkhau123", "Mật khẩu 123", "truonghoc2025", "hocsinh@2024"):
        with pytest.raises(ValidationError):
            CommonVietnamesePasswordValidator().validate(password)


def test_password_with_username_or_school_name_is_refused(make_school, make_staff):
    school = make_school("HB", "Trường THCS Hoa Ban")
    user = make_staff("nguyenvana", Role.CASE_WORKER, school)
    for password in ("nguyenvana-2026-xyz", "Hòa Ban mãi đỉnh 2026", "truongthcshoaban!"):
        with pytest.raises(ValidationError):
            validate_password(password, user)
    validate_password("Sông Hồng chảy về biển Đông", user)


def test_refusals_are_explained_in_the_users_language(db):
    from django.utils import translation

    from tests.accounts.conftest import vi

    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        validate_password("Mật khẩu 123")
    expected = vi(
        "This password is too common. Choose a longer phrase that only you would think of."
    )
    assert expected in refused.value.messages
