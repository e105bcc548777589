"""Seed the editable reference lists with the starting values of case-templates.md.

Administrators edit these lists afterwards. Running the seed again only adds an
entry whose name is missing; it never changes the order, phone or "offered" flag
of an existing one.
"""

from django.db import migrations

ISSUE_CATEGORIES = [
    "có hoàn cảnh đặc biệt",
    "bị xâm hại",
    "bị bạo lực",
    "có hành vi bạo lực",
    "bị bắt nạt",
    "bỏ học / có nguy cơ bỏ học",
    "vi phạm pháp luật",
    "khó khăn tâm lý",
    "khác",
]

# (table, names) — Mẫu 02 and Mẫu 04 rate each row Cao / Trung bình / Thấp.
RATING_CRITERIA = [
    (
        "harm",
        [
            "mức độ tổn hại hiện tại",
            "khả năng người gây tổn hại còn tiếp cận người học",
            "trở ngại về an toàn trong môi trường chăm sóc",
        ],
    ),
    (
        "resilience",
        [
            "hiểu biết tự bảo vệ",
            "sự hỗ trợ của gia đình",
            "quan hệ với bạn bè, thầy cô",
            "sức khỏe thể chất, tinh thần",
        ],
    ),
]

NEED_DOMAINS = [
    "an toàn",
    "y tế",
    "tâm lý",
    "học tập",
    "pháp lý",
    "vật chất / kinh tế",
    "khác",
]

# (name, phone) — bodies every school may refer to; schools add their local ones.
RECEIVING_BODIES = [
    ("Tổng đài quốc gia bảo vệ trẻ em 111", "111"),
    ("UBND cấp xã nơi người học cư trú", ""),
    ("Công an cấp xã", ""),
    ("Trung tâm công tác xã hội", ""),
]

ACTIVITY_PARTNERS = [
    "gia đình",
    "giáo viên chủ nhiệm",
    "Đoàn / Đội",
    "nhân viên y tế",
    "UBND cấp xã",
]


def _order(index: int) -> int:
    # Gaps of ten leave room to slot a new entry between two seeded ones.
    return (index + 1) * 10


def _ensure(model, defaults: dict, **lookup) -> None:
    # Like get_or_create, but an administrator's duplicate entry is no error.
    if not model.objects.filter(**lookup).exists():
        model.objects.create(**lookup, **defaults)


def seed_reference_data(apps, schema_editor) -> None:
    IssueCategory = apps.get_model("forms_app", "IssueCategory")
    RatingCriterion = apps.get_model("forms_app", "RatingCriterion")
    NeedDomain = apps.get_model("forms_app", "NeedDomain")
    ReceivingBody = apps.get_model("forms_app", "ReceivingBody")
    ActivityPartner = apps.get_model("forms_app", "ActivityPartner")

    for i, name in enumerate(ISSUE_CATEGORIES):
        _ensure(IssueCategory, {"sort_order": _order(i)}, name=name)
    for table, names in RATING_CRITERIA:
        for i, name in enumerate(names):
            _ensure(RatingCriterion, {"sort_order": _order(i)}, table=table, name=name)
    for i, name in enumerate(NEED_DOMAINS):
        _ensure(NeedDomain, {"sort_order": _order(i)}, name=name)
    for i, (name, phone) in enumerate(RECEIVING_BODIES):
        _ensure(ReceivingBody, {"sort_order": _order(i), "phone": phone}, name=name, school=None)
    for i, name in enumerate(ACTIVITY_PARTNERS):
        _ensure(ActivityPartner, {"sort_order": _order(i)}, name=name)


class Migration(migrations.Migration):
    dependencies = [("forms_app", "0001_initial")]

    operations = [
        migrations.RunPython(seed_reference_data, migrations.RunPython.noop, elidable=False),
    ]
