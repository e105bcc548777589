"""Two schools of one district, their staff in every role, and one of each thing they own.

Shared by the tenancy attack tests and the admin access matrix: each role of school
A, the administrator of school B, the district officer of both, and the operator
(a superuser), with a help line, calendar, referral body, site, redirect, page,
image and document on each side.
"""

from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site

from forms_app.models import ReceivingBody, SchoolCalendar
from pages.models import Hotline, StandardPage
from schools.models import District, Membership
from schools.roles import Role

# Who signs in, and their roles: (username, role, schools) — "A", "B" or both.
STAFF = {
    "editor_a": [(Role.EDITOR, "A")],
    "principal_a": [(Role.PRINCIPAL, "A")],
    "worker_a": [(Role.CASE_WORKER, "A")],
    "administrator_a": [(Role.ADMINISTRATOR, "A")],
    "head_a": [(Role.ADMINISTRATOR, "A"), (Role.PRINCIPAL, "A")],
    "district": [(Role.DISTRICT_OFFICER, "A"), (Role.DISTRICT_OFFICER, "B")],
    "administrator_b": [(Role.ADMINISTRATOR, "B")],
    "teacher_b": [(Role.EDITOR, "B")],
}


@dataclass
class Side:
    """What one school owns."""

    school: object
    site: object
    hotline: object
    calendar: object
    receiving_body: object
    redirect: object
    page: object
    image: object
    document: object


@dataclass
class Tenancy:
    a: Side
    b: Side
    users: dict = field(default_factory=dict)
    national_hotline: object = None
    shared_receiving_body: object = None


def _side(code: str, school) -> Side:
    site = Site.objects.create(
        hostname=f"{code.lower()}.localhost", port=80, root_page=school.root_page
    )
    page = school.root_page.add_child(
        instance=StandardPage(title=f"Giới thiệu trường {code}", slug=f"gioi-thieu-{code.lower()}")
    )
    image = get_image_model().objects.create(
        title=f"Ảnh trường {code}",
        file=get_test_image_file(filename=f"{code}.png"),
        collection=school.collection,
    )
    document_model = get_document_model()
    document = document_model(title=f"Kế hoạch trường {code}", collection=school.collection)
    from django.core.files.base import ContentFile

    document.file.save(f"ke-hoach-{code.lower()}.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return Side(
        school=school,
        site=site,
        hotline=Hotline.objects.create(
            number=f"0209 000 {len(code)}{ord(code[0])}",
            name=f"Đường dây của trường {code}",
            scope=Hotline.Scope.SCHOOL,
            school=school,
        ),
        calendar=SchoolCalendar.objects.create(school=school),
        receiving_body=ReceivingBody.objects.create(name=f"UBND xã {code}", school=school),
        redirect=Redirect.objects.create(
            old_path="/tro-giup-khan", site=site, redirect_link="https://example.org/"
        ),
        page=page,
        image=image,
        document=document,
    )


@pytest.fixture
def tenancy(make_school) -> Tenancy:
    district = District.objects.create(name="Phòng GD&ĐT Hư Cấu", code="HC")
    schools = {
        "A": make_school("AA", "Trường THCS Hư Cấu A", district=district),
        "B": make_school("BB", "Trường THCS Hư Cấu B", district=district),
    }
    for school in schools.values():
        school.refresh_from_db()
    world = Tenancy(a=_side("AA", schools["A"]), b=_side("BB", schools["B"]))
    User = get_user_model()
    for username, roles in STAFF.items():
        user = User.objects.create_user(
            username=username,
            password="pw-" + username,
            first_name=username,
            last_name="Thử",
            email=f"{username}@example.org",
        )
        for role, key in roles:
            Membership.objects.create(user=user, school=schools[key], role=role)
        world.users[username] = user
    world.users["operator"] = User.objects.create_superuser(
        "operator", email="operator@example.org", password="pw-operator"
    )
    world.national_hotline = Hotline.objects.create(
        number="111", name="Tổng đài quốc gia bảo vệ trẻ em", scope=Hotline.Scope.NATIONAL
    )
    world.shared_receiving_body = ReceivingBody.objects.create(name="Tổng đài 111")
    return world


@pytest.fixture
def signed_in(client):
    """``signed_in(user)``: the test client, signed in as ``user`` with both factors."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
