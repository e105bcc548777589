"""The school and staff whose records are printed, and the language they are printed in.

A printed record's letterhead names the school's education office and the school
in full, and its signature blocks name the staff who signed, so here the school
has a district and a full name and the worker and principal have names (the
shared fixtures of tests/forms_app/conftest.py are overridden for this room
only). Everything is read in Vietnamese, the language of the official forms.
"""

import pytest
from django.utils import translation

from schools.models import District
from schools.roles import Role
from tests.conftest import build_school, build_staff

# Fictitious staff: first name(s), last name.
PRINCIPAL = ("Phạm Đức", "Thắng")
WORKER = ("Vũ Thị", "Thu Hà")


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def named(user, first: str, last: str):
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    return user


@pytest.fixture(scope="module")
def module_school(module_db):
    def build():
        district = District.objects.create(name="Phòng GD&ĐT huyện Thử Nghiệm", code="TN")
        return build_school("HB", "Trường THCS Hoa Ban", district=district, place_name="Hòa Bản")

    return module_db.build(build)


@pytest.fixture(scope="module")
def module_other_school(module_db):
    return module_db.build(build_school, "SM", "Trường TH&THCS Suối Mây")


@pytest.fixture(scope="module")
def module_worker(module_db, module_school):
    return module_db.build(
        lambda: named(build_staff("worker", Role.CASE_WORKER, module_school), *WORKER)
    )


@pytest.fixture(scope="module")
def module_principal(module_db, module_school):
    return module_db.build(
        lambda: named(build_staff("principal", Role.PRINCIPAL, module_school), *PRINCIPAL)
    )
