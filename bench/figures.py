"""The reports' part of the bench: one school's year over many cases and log entries,
and a district of many schools that have sent their year report.

``build`` (called by ``bench/dataset.py`` inside its transaction) adds:

- school BD, with ``figure_cases`` cases received over the school year before this
  one and the two months before it, spread over the states, issue categories, grades
  and genders, with their referrals (due 12 working hours after receipt, most sent in
  time), plans (due 3 working days after submission), reviews and closing events;
  ``figure_entries`` counselling entries and ``figure_activities`` activities. Only
  what the figures read is written: the counting columns, the times, the timeline's
  "received" and "closed" lines; the records' answers are left empty.
- a district of ``district_schools`` schools, each with its year report submitted
  (a version whose frozen figures are BD's, scaled down differently for each school),
  and a district officer with a membership at each, signed in by the runner.

``bench/reports_measure.py`` times them. Everything is invented.
"""

from __future__ import annotations

import datetime
import random
import time

FIGURES_SCHOOL_CODE = "BD"
DISTRICT_CODE = "PGDBD"
DISTRICT_SCHOOL_PREFIX = "Q"
DISTRICT_OFFICER_USERNAME = "bench.pgd"
DISTRICT_OFFICER_TOTP_HEX = "6263682d7067642d746f74702d6b65792d3033"
OVERVIEW_PATH = "/admin/phong-gd/"
BATCH = 1000

# How the bench school's cases are spread over the states (as bench/dataset.py's).
STATE_WEIGHTS = [
    ("received", 6),
    ("assessed", 6),
    ("plan_submitted", 5),
    ("plan_returned", 2),
    ("plan_approved", 5),
    ("in_progress", 14),
    ("reviewed", 4),
    ("referred", 8),
    ("closed", 50),
]
WITH_PLAN = {"plan_submitted", "plan_returned", "plan_approved", "in_progress", "reviewed"}
APPROVED_STATES = {"plan_approved", "in_progress", "reviewed"}
FORM_WEIGHTS = [("individual", 55), ("group", 15), ("class", 5), ("online", 15), ("phone", 10)]


def _school_year(now: datetime.datetime) -> int:
    """The last school year whose year period has ended (its figures are all in)."""
    from reports.periods import school_year_of

    return school_year_of(now.date()) - 1


def build(counts: dict[str, int], rng: random.Random, now: datetime.datetime, say) -> dict | None:
    """Write the reports' data and return the manifest's ``figures`` section (None if none)."""
    if not (counts.get("figure_cases") or counts.get("district_schools")):
        return None
    from reports.periods import period
    from schools.models import District, School

    year = period(_school_year(now), "year")
    started = time.monotonic()
    district = District.objects.create(
        name="Phòng GD&ĐT huyện Bài Đo (minh họa)", code=DISTRICT_CODE
    )
    school = School.objects.create(
        district=district,
        code=FIGURES_SCHOOL_CODE,
        name="Trường THCS Bài Đo (minh họa)",
        level=School.Level.LOWER_SECONDARY,
    )
    worker, principal = _staff(school)
    made = _cases(rng, school, worker, principal, year, counts.get("figure_cases", 0), now)
    entries = _entries(rng, school, worker, year, counts.get("figure_entries", 0))
    activities = _activities(rng, school, worker, year, counts.get("figure_activities", 0))
    say(
        f"figures school: {made} cases, {entries} entries, {activities} activities "
        f"({time.monotonic() - started:.1f} s)"
    )
    schools = counts.get("district_schools", 0)
    officer = _district(rng, district, school, year, schools, now)
    say(f"district of {schools} schools ({time.monotonic() - started:.1f} s)")
    return {
        "school_id": school.pk,
        "school_code": school.code,
        "period_id": year.pk,
        "cases": made,
        "entries": entries,
        "activities": activities,
        "district_schools": counts.get("district_schools", 0),
        "overview_url": f"{OVERVIEW_PATH}?period={year.pk}",
        "officer": {"username": officer.username, "totp_key_hex": DISTRICT_OFFICER_TOTP_HEX},
    }


def _staff(school):
    from django.contrib.auth import get_user_model

    from schools.models import Membership
    from schools.roles import Role

    User = get_user_model()
    code = school.code.lower()
    worker = User.objects.create(username=f"bench.ctxh.{code}", first_name="Cán bộ CTXH")
    principal = User.objects.create(username=f"bench.ht.{code}", first_name="Hiệu trưởng")
    Membership.objects.create(school=school, user=worker, role=Role.CASE_WORKER)
    Membership.objects.create(school=school, user=principal, role=Role.PRINCIPAL)
    return worker, principal


def _cases(rng, school, worker, principal, year, count: int, now) -> int:
    """``count`` cases with what the figures read, in bulk."""
    from django.utils import timezone

    from forms_app.cases.deadlines import calendar_for
    from forms_app.models import (
        Case,
        CaseEvent,
        InterventionPlan,
        IssueCategory,
        ReceivingBody,
        Referral,
        Review,
    )

    if count <= 0:
        return 0
    calendar = calendar_for(school)
    categories = list(IssueCategory.objects.filter(active=True).values_list("pk", flat=True))
    body = ReceivingBody.objects.filter(school__isnull=True, active=True).first()
    tz = timezone.get_default_timezone()
    first = datetime.datetime.combine(
        year.starts_on - datetime.timedelta(days=60), datetime.time(7), tzinfo=tz
    )
    last = min(
        datetime.datetime.combine(year.ends_on, datetime.time(17), tzinfo=tz),
        now - datetime.timedelta(days=1),
    )
    span = int((last - first).total_seconds())
    states = [s for s, _w in STATE_WEIGHTS]
    weights = [w for _s, w in STATE_WEIGHTS]
    received_times = sorted(
        first + datetime.timedelta(seconds=rng.randrange(span)) for _n in range(count)
    )
    sequences: dict[int, int] = {}
    for start in range(0, count, BATCH):
        cases, links, events, referrals, plans, reviews = [], [], [], [], [], []
        for received in received_times[start : start + BATCH]:
            local_year = timezone.localtime(received).year
            sequences[local_year] = sequences.get(local_year, 0) + 1
            grade = rng.randint(6, 9) if rng.random() < 0.9 else None
            gender = rng.choice(["male", "female", "female", "unknown"])
            case = Case(
                school=school,
                year=local_year,
                sequence=sequences[local_year],
                reference=f"{school.code}-{local_year}-{sequences[local_year]:05d}",
                learner_gender=gender,
                learner_class=f"{grade}A" if grade else "",
                count_grade=grade,
                count_gender=gender,
                state=rng.choices(states, weights)[0],
                assigned_worker=worker,
                received_at=received,
                created_by=worker,
            )
            cases.append(case)
        Case.objects.bulk_create(cases, batch_size=500)
        for case in cases:
            received = case.received_at
            for category in rng.sample(categories, rng.choice([0, 1, 1, 1, 2])):
                links.append(Case.categories.through(case_id=case.pk, issuecategory_id=category))
            events.append(
                CaseEvent(
                    case=case, at=received, actor=worker, kind="transition", to_state="received"
                )
            )
            at = received
            if case.state in ("referred", "closed") and rng.random() < 0.4:
                due = calendar.add_working_hours(received, 12)
                roll = rng.random()
                sent = (
                    due - datetime.timedelta(hours=3)
                    if roll < 0.75
                    else (due + datetime.timedelta(hours=6) if roll < 0.9 else None)
                )
                at = received + datetime.timedelta(hours=2)
                referrals.append(
                    Referral(
                        case=case,
                        author=worker,
                        created_at=at,
                        receiving_body=body,
                        due_at=due,
                        sent_at=sent if sent is None or sent < now else None,
                        consent_given=True,
                    )
                )
                if sent is None and case.state != "closed":
                    case.next_deadline, case.next_deadline_label = due, "referral"
            elif case.state in WITH_PLAN or case.state == "closed":
                submitted = received + datetime.timedelta(days=rng.randint(2, 10))
                approved = case.state in APPROVED_STATES or case.state == "closed"
                decided = submitted + datetime.timedelta(days=rng.randint(1, 6), hours=2)
                review_date = (decided + datetime.timedelta(days=rng.randint(20, 60))).date()
                plan = InterventionPlan(
                    case=case,
                    author=worker,
                    created_at=submitted,
                    version=1,
                    status="approved" if approved else "submitted",
                    submitted_at=submitted,
                    approval_due_at=calendar.add_working_days(submitted, 3),
                    decided_by=principal if approved else None,
                    decided_at=decided if approved else None,
                    review_date=review_date if approved else None,
                )
                if case.state == "plan_returned":
                    plan.status, plan.decided_at = "returned", decided
                plans.append(plan)
                if case.state == "plan_submitted":
                    case.next_deadline = plan.approval_due_at
                    case.next_deadline_label = "plan_approval"
                elif case.state in ("plan_approved", "in_progress"):
                    case.next_deadline = calendar.close_of_working_day(review_date)
                    case.next_deadline_label = "review"
                if case.state in ("reviewed", "closed"):
                    filed = datetime.datetime.combine(
                        review_date + datetime.timedelta(days=rng.choice([-3, -1, 0, 0, 2, 5])),
                        datetime.time(10),
                        tzinfo=tz,
                    )
                    reviews.append((plan, filed))
                at = decided
            if case.state == "closed":
                closed = min(at + datetime.timedelta(days=rng.randint(1, 40)), now)
                events.append(
                    CaseEvent(
                        case=case,
                        at=closed,
                        actor=principal,
                        kind="transition",
                        from_state="reviewed",
                        to_state="closed",
                    )
                )
        Case.categories.through.objects.bulk_create(links, batch_size=500)
        CaseEvent.objects.bulk_create(events, batch_size=500)
        Referral.objects.bulk_create(referrals, batch_size=500)
        InterventionPlan.objects.bulk_create(plans, batch_size=500)
        Review.objects.bulk_create(
            [
                Review(
                    case=plan.case, plan=plan, author=worker, created_at=filed, conclusion="close"
                )
                for plan, filed in reviews
            ],
            batch_size=500,
        )
        Case.objects.bulk_update(
            [c for c in cases if c.next_deadline], ["next_deadline", "next_deadline_label"], 500
        )
    return count


def _entries(rng, school, worker, year, count: int) -> int:
    from counselling.models import CounsellingArea, CounsellingEntry

    if count <= 0:
        return 0
    areas = list(CounsellingArea.objects.filter(active=True))
    forms = [f for f, _w in FORM_WEIGHTS]
    form_weights = [w for _f, w in FORM_WEIGHTS]
    days = (year.ends_on - year.starts_on).days + 40
    for start in range(0, count, BATCH):
        rows = []
        for _n in range(start, min(count, start + BATCH)):
            form = rng.choices(forms, form_weights)[0]
            participants = {"group": rng.randint(3, 8), "class": rng.randint(28, 42)}.get(form, 1)
            single = participants == 1
            rows.append(
                CounsellingEntry(
                    school=school,
                    held_on=year.starts_on + datetime.timedelta(days=rng.randrange(days) - 20),
                    form=form,
                    area=rng.choice(areas),
                    participants=participants,
                    grade=rng.randint(6, 9) if rng.random() < 0.9 else None,
                    gender=rng.choice(["male", "female"]) if single else "mixed",
                    duration_minutes=rng.choice([15, 20, 30, 45]),
                    outcome=rng.choice(["resolved", "resolved", "follow_up"]),
                    counsellor=worker,
                )
            )
        CounsellingEntry.objects.bulk_create(rows, batch_size=500)
    return count


def _activities(rng, school, worker, year, count: int) -> int:
    from counselling.models import Activity, CounsellingArea

    if count <= 0:
        return 0
    areas = list(CounsellingArea.objects.filter(active=True))
    days = (year.ends_on - year.starts_on).days
    Activity.objects.bulk_create(
        [
            Activity(
                school=school,
                title=f"Hoạt động truyền thông số {n + 1} (minh họa)",
                kind=rng.choice(["talk", "club", "week", "month", "other"]),
                held_on=year.starts_on + datetime.timedelta(days=rng.randrange(days)),
                audience=rng.choice(["students", "parents", "teachers", "mixed"]),
                participants=rng.randint(20, 600),
                area=rng.choice(areas),
                created_by=worker,
            )
            for n in range(count)
        ],
        batch_size=500,
    )
    return count


def _scaled(figures: dict, factor: float) -> dict:
    """``figures`` with every count scaled by ``factor``, as another school's would read."""

    def scale(value: int) -> int:
        return int(value * factor)

    return {
        **figures,
        "totals": {key: scale(value) for key, value in figures["totals"].items()},
        "tables": {
            key: {
                "columns": table["columns"],
                "rows": [
                    {**row, "values": [scale(v) for v in row["values"]]} for row in table["rows"]
                ],
            }
            for key, table in figures["tables"].items()
        },
    }


def _district(rng, district, figures_school, year, count: int, now):
    """``count`` schools of ``district`` with their year report submitted, and the officer."""
    from django.contrib.auth import get_user_model

    from accounts.models import AuthenticatorDevice
    from reports.figures import compute_school_figures
    from reports.models import SchoolReport, SchoolReportVersion
    from schools.models import Membership, School
    from schools.roles import Role

    User = get_user_model()
    officer = User.objects.create(
        username=DISTRICT_OFFICER_USERNAME, first_name="Cán bộ Phòng GD&ĐT", last_name="Bài Đo"
    )
    AuthenticatorDevice.objects.create(
        user=officer, name="authenticator", key=DISTRICT_OFFICER_TOTP_HEX, confirmed=True
    )
    if count <= 0:
        return officer
    base = compute_school_figures(figures_school, year, as_of=now)
    submitted = now - datetime.timedelta(days=3)
    schools = []
    for n in range(count):
        # School.save keeps the school's role groups (schools.signals): one by one.
        schools.append(
            School.objects.create(
                district=district,
                code=f"{DISTRICT_SCHOOL_PREFIX}{n + 1:02d}",
                name=f"Trường số {n + 1} huyện Bài Đo (minh họa)",
                level=rng.choice(
                    [
                        School.Level.PRIMARY,
                        School.Level.LOWER_SECONDARY,
                        School.Level.UPPER_SECONDARY,
                    ]
                ),
            )
        )
    Membership.objects.bulk_create(
        [Membership(school=s, user=officer, role=Role.DISTRICT_OFFICER) for s in schools]
    )
    from schools.roles import sync_user_groups

    sync_user_groups(officer)
    reports = SchoolReport.objects.bulk_create(
        [
            SchoolReport(
                school=school,
                period=year,
                state=rng.choice([SchoolReport.State.SUBMITTED, SchoolReport.State.ACCEPTED]),
                number=f"{n + 1}/BC-THCS",
                went_well="Nhà trường duy trì phòng tư vấn (minh họa).",
                difficulties="Thiếu cán bộ chuyên trách (minh họa).",
                proposals="Đề nghị tập huấn thêm (minh họa).",
                version=1,
                submitted_at=submitted,
            )
            for n, school in enumerate(schools)
        ]
    )
    SchoolReportVersion.objects.bulk_create(
        [
            SchoolReportVersion(
                report=report,
                version=1,
                figures={
                    **_scaled(base, rng.uniform(0.002, 0.05)),
                    "school": {
                        "id": report.school.pk,
                        "code": report.school.code,
                        "name": report.school.name,
                    },
                },
                number=report.number,
                went_well=report.went_well,
                difficulties=report.difficulties,
                proposals=report.proposals,
                submitted_at=submitted,
            )
            for report in reports
        ]
    )
    return officer
