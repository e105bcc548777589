"""Fictitious class lists for the demo schools, so picking a learner shows in the demo.

Every learner is invented and named as such ("… (giả định)"); the personal IDs start
with 099, which is no province's code. The learners of the demo cases
(forms_app's load_demo_cases) are on their classes' lists and linked to their cases.
Called by ``load_demo_data``; safe to run again.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from forms_app.management.commands.load_demo_cases import DEMO_CASES, DEMO_SCHOOL_CODES
from forms_app.models import Case, Gender
from learners.models import Learner
from schools.models import School

FAMILY_NAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ")
GIRLS = ("Thị Mai", "Ngọc Lan", "Thu Hà", "Minh Thư", "Bảo Ngọc")
BOYS = ("Văn Nam", "Minh Khoa", "Đức Anh", "Quốc Bảo", "Gia Huy")
PER_CLASS = 10


def _school_year_start(today: datetime.date) -> int:
    return today.year if today.month >= 9 else today.year - 1


def _birth_date(class_name: str, index: int, today: datetime.date) -> datetime.date:
    """A date in the year a learner of the class's grade was born."""
    grade = int("".join(ch for ch in class_name if ch.isdigit()) or 6)
    year = _school_year_start(today) - grade - 5
    return datetime.date(year, 1 + index % 12, 1 + (index * 7) % 28)


def demo_class_lists(today: datetime.date | None = None) -> list[dict]:
    """Every demo learner of one school: the demo cases' learners, then made-up
    classmates up to ``PER_CLASS`` in each of their classes."""
    today = today or timezone.localdate()
    learners = []
    classes: dict[str, int] = {}
    for demo in DEMO_CASES:
        count = classes.get(demo.learner_class, 0)
        classes[demo.learner_class] = count + 1
        learners.append(
            {
                "full_name": demo.learner_name,
                "class_name": demo.learner_class,
                "gender": "" if demo.gender == Gender.UNKNOWN else demo.gender,
                "birth_date": _birth_date(demo.learner_class, len(learners), today),
            }
        )
    for class_number, class_name in enumerate(sorted(classes)):
        for index in range(classes[class_name], PER_CLASS):
            girl = index % 2 == 0
            given = (GIRLS if girl else BOYS)[(index // 2 + class_number) % 5]
            family = FAMILY_NAMES[(index + 3 * class_number) % len(FAMILY_NAMES)]
            learners.append(
                {
                    "full_name": f"{family} {given} (giả định)",
                    "class_name": class_name,
                    "gender": Gender.FEMALE if girl else Gender.MALE,
                    "birth_date": _birth_date(class_name, len(learners), today),
                }
            )
    return learners


@transaction.atomic
def load_demo_learners() -> int:
    """Put the demo class lists on the demo schools' lists; returns how many were added."""
    created = 0
    for school_number, code in enumerate(DEMO_SCHOOL_CODES):
        school = School.objects.filter(code=code).first()
        if school is None:
            continue
        for number, data in enumerate(demo_class_lists(), start=1):
            learner = Learner.objects.filter(
                Learner.named(data["full_name"]), school=school, class_name=data["class_name"]
            ).first()
            if learner is None:
                learner = Learner.objects.create(
                    school=school,
                    personal_id=f"099{school_number:03d}{number:06d}",
                    **data,
                )
                created += 1
            Case.objects.filter(
                Case.name_lookup(data["full_name"]), school=school, learner__isnull=True
            ).update(learner=learner)
    return created
