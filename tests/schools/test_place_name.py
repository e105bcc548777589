"""A school's place name, on the date line of its printed records, is edited with it."""

import pytest
from django.urls import reverse

from tests.schools.test_tenancy_attacks import current_rows, edit_url, school_edit_post

pytestmark = pytest.mark.django_db


def test_school_administrator_sets_the_place_name_on_the_school_form(tenancy, signed_in):
    school = tenancy.a.school
    client = signed_in(tenancy.users["administrator_a"])

    form = client.get(edit_url(school)).content.decode()
    response = client.post(
        edit_url(school), school_edit_post(school, current_rows(school), place_name="Hòa Bản")
    )

    assert 'name="place_name"' in form
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.place_name == "Hòa Bản"
    inspect = reverse("wagtailsnippets_schools_school:inspect", args=[school.pk])
    assert "Hòa Bản" in client.get(inspect).content.decode()
