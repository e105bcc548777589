"""Password rules for Vietnamese users.

Django's own list of common passwords is English; people here pick "matkhau123",
"anhyeuem" or their own name with a birth year. These validators compare the
password folded (no diacritics, no case, no spaces), so "Mật khẩu 123" is refused
like "matkhau123", while a long passphrase with diacritics is welcome.
"""

import re
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pages.text import fold

COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent / "common_passwords.txt"
# Short words ("le", "vu") are only refused alone, never as parts of a longer password.
_SHORT = 4


def compact(text: str) -> str:
    """Folded letters and digits only: "Mật khẩu 123!" → "matkhau123"."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


class CommonVietnamesePasswordValidator:
    """Refuse common Vietnamese passwords, with or without diacritics and digits around."""

    def validate(self, password: str, user=None) -> None:
        word = compact(password)
        # A common word padded with digits (birth years, 123) is still that word.
        core = re.sub(r"^\d+|\d+$", "", word)
        common = common_passwords()
        if word in common or (core in common and (len(core) >= _SHORT or core == word)):
            raise ValidationError(
                _(
                    "This password is too common. "
                    "Choose a longer phrase that only you would think of."
                ),
                code="password_too_common_vi",
            )

    def get_help_text(self) -> str:
        return _(
            "Your password cannot be a common password such as “matkhau123” or “anhyeuem”, "
            "with or without diacritics."
        )


# Words that name the kind of school, not the school: "Trường THCS Hoa Ban" → "hoaban".
_SCHOOL_WORDS = re.compile(
    r"\b(truong|thpt|thcs|th|tieu hoc|trung hoc co so|trung hoc pho thong|trung hoc|"
    r"pho thong|mam non|mau giao|lien cap|pt|dtnt|dan toc noi tru|ptdtbt|ban tru)\b"
)


def school_name_parts(name: str) -> list[str]:
    """The distinctive part of a school's name, and the whole name, compacted."""
    folded = fold(re.sub(r"\(.*?\)", " ", name))
    parts = [compact(folded), compact(_SCHOOL_WORDS.sub(" ", folded))]
    return [part for part in parts if len(part) >= _SHORT]


class PersonalContextValidator:
    """Refuse a password that contains the username or the name of the user's school.

    Both are the first things someone who knows the user would try.
    """

    def validate(self, password: str, user=None) -> None:
        if user is None:
            return
        word = compact(password)
        username = compact(user.get_username() or "")
        if len(username) >= 3 and username in word:
            raise ValidationError(
                _("The password cannot contain your username."), code="password_has_username"
            )
        for name in self._school_names(user):
            if any(part in word for part in school_name_parts(name)):
                raise ValidationError(
                    _("The password cannot contain the name of your school."),
                    code="password_has_school_name",
                )

    @staticmethod
    def _school_names(user) -> list[str]:
        if not getattr(user, "pk", None):
            return []
        from schools.models import School

        return list(
            School.objects.filter(memberships__user=user).values_list("name", flat=True).distinct()
        )

    def get_help_text(self) -> str:
        return _("Your password cannot contain your username or your school's name.")
