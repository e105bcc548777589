"""Seed topics, audiences and the national help lines every site shows."""

from django.db import migrations

TOPICS = [
    ("hoc-tap", "Học tập"),
    ("gioi-va-quan-he-xa-hoi", "Giới và quan hệ xã hội"),
    ("tam-ly", "Tâm lý"),
    ("ky-nang-song", "Kỹ năng sống"),
    ("huong-nghiep", "Hướng nghiệp, việc làm, khởi nghiệp"),
    ("chinh-sach-phap-luat", "Chính sách, pháp luật"),
    ("dich-vu-cong-tac-xa-hoi", "Dịch vụ công tác xã hội"),
    ("bao-luc-hoc-duong", "Bạo lực học đường"),
    ("xam-hai-tre-em", "Xâm hại trẻ em"),
    ("an-toan-tren-mang", "An toàn trên mạng"),
    ("bo-hoc", "Bỏ học"),
]

AUDIENCES = [("hoc-sinh", "Học sinh"), ("phu-huynh", "Phụ huynh"), ("giao-vien", "Giáo viên")]

# (number, name, purpose, hours, free)
NATIONAL_LINES = [
    ("111", "Tổng đài quốc gia bảo vệ trẻ em",
     "Tư vấn, tiếp nhận thông tin về trẻ em bị xâm hại, bạo lực, bóc lột, bỏ rơi", "24/7", True),
    ("112", "Tìm kiếm cứu nạn", "Yêu cầu trợ giúp tìm kiếm, cứu nạn", "24/7", True),
    ("113", "Công an", "Báo tin về an ninh, trật tự, tội phạm", "24/7", True),
    ("114", "Cứu hỏa, cứu nạn", "Báo cháy, cứu nạn, cứu hộ", "24/7", True),
    ("115", "Cấp cứu y tế", "Cấp cứu người bị thương, người bệnh", "24/7", True),
]


def seed(apps, schema_editor):
    Topic = apps.get_model("pages", "Topic")
    Audience = apps.get_model("pages", "Audience")
    Hotline = apps.get_model("pages", "Hotline")
    for order, (slug, name) in enumerate(TOPICS):
        Topic.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})
    for order, (code, name) in enumerate(AUDIENCES):
        Audience.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    for order, (number, name, purpose, hours, free) in enumerate(NATIONAL_LINES):
        Hotline.objects.get_or_create(
            number=number,
            scope="national",
            defaults={
                "name": name,
                "purpose": purpose,
                "hours": hours,
                "is_free": free,
                "sort_order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("pages", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
