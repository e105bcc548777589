"""Which grade (khối) a class is in: the one rule, read by cases, the counselling log
and the reports, which count by grade and never by class.

Vietnamese class names start with the grade: "6A1", "10 Toán", "Lớp 7B", "12A10".
Preschool groups ("Mầm", "Chồi", "Lá", "Nhà trẻ") and anything else have no grade
number and count as "not known" rather than as a guess.
"""

import re

GRADES: tuple[int, ...] = tuple(range(1, 13))

_GRADE = re.compile(r"^\s*(?:l[ớo]p\s*)?(\d{1,2})(?!\d)", re.IGNORECASE)


def grade_of(class_name: str | None) -> int | None:
    """The grade 1–12 a class name starts with, or None when it names none."""
    match = _GRADE.match(class_name or "")
    if not match:
        return None
    grade = int(match.group(1))
    return grade if grade in GRADES else None
