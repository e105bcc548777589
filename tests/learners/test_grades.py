"""The grade a class is counted under in the reports (learners.grades)."""

import pytest

from learners.grades import grade_of


@pytest.mark.parametrize(
    ("class_name", "grade"),
    [
        ("6A1", 6),
        ("10 Toán", 10),
        ("Lớp 7B", 7),
        ("lop 9", 9),
        ("12A10", 12),
        (" 3C", 3),
    ],
)
def test_a_class_counts_under_the_grade_it_starts_with(class_name, grade):
    assert grade_of(class_name) == grade


@pytest.mark.parametrize("class_name", ["Lá", "Mầm", "", None, "13A", "123", "A6"])
def test_a_class_without_a_grade_counts_as_not_known(class_name):
    assert grade_of(class_name) is None
