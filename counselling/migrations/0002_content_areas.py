"""The seven content areas of school counselling named by Thông tư 18/2025/TT-BGDĐT.

Names are data an administrator may edit, so they are Vietnamese whatever the admin's
language."""

from django.db import migrations

AREAS = [
    "Học tập",
    "Giới và quan hệ xã hội",
    "Tâm lý",
    "Kỹ năng sống",
    "Hướng nghiệp, việc làm, khởi nghiệp",
    "Chính sách, pháp luật",
    "Dịch vụ công tác xã hội",
]


def seed(apps, schema_editor):
    CounsellingArea = apps.get_model("counselling", "CounsellingArea")
    for order, name in enumerate(AREAS, start=1):
        CounsellingArea.objects.get_or_create(name=name, defaults={"sort_order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("counselling", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
