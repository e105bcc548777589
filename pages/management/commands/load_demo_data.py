"""Load the fictitious demo district, its two schools, their home pages and staff accounts."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from pages.demo import build_school_content
from pages.models import HomePage
from schools.models import District, Membership, School
from schools.roles import Role

# Known only to people running a DEBUG server on their own machine.
DEMO_PASSWORD = "antoan-demo-2026"
DEMO_PORT = 8000


@dataclass(frozen=True)
class DemoSchool:
    code: str
    name: str
    slug: str
    host: str
    level: str
    # The commune of the address: printed records date themselves there.
    place_name: str
    address: str
    phone: str
    hotline: str
    intro: str


DISTRICT = {
    "code": "TN",
    "name": "Phòng GD&ĐT huyện Thử Nghiệm (đơn vị minh họa)",
    "slug": "phong-gddt-thu-nghiem",
    "address": "Số 1 đường Minh Họa, thị trấn Thử Nghiệm (địa chỉ giả định)",
    "phone": "0000 000 100",
    "intro": (
        "<p>Cổng thông tin công tác xã hội và tư vấn học đường của các trường trong huyện. "
        "Toàn bộ tên, địa chỉ và số điện thoại trên trang này là <b>dữ liệu minh họa</b>, "
        "không phải của trường hay người thật.</p>"
    ),
}

SCHOOLS = [
    DemoSchool(
        code="HB",
        name="Trường THCS Hoa Ban (trường minh họa)",
        slug="thcs-hoa-ban",
        host="hoa-ban.localhost",
        level=School.Level.LOWER_SECONDARY,
        place_name="Thử Nghiệm",
        address="Bản Minh Họa, xã Thử Nghiệm (địa chỉ giả định)",
        phone="0000 000 101",
        hotline="0000 000 111",
        intro=(
            "<p>Tổ tư vấn học đường của trường luôn sẵn sàng lắng nghe các em. "
            "Phòng tư vấn mở cửa vào giờ ra chơi các ngày trong tuần; em cũng có thể "
            "nhờ thầy cô chủ nhiệm liên hệ giúp.</p>"
        ),
    ),
    DemoSchool(
        code="SM",
        name="Trường TH&THCS Suối Mây (trường minh họa)",
        slug="th-thcs-suoi-may",
        host="suoi-may.localhost",
        level=School.Level.MULTI_LEVEL,
        place_name="Suối Mây",
        address="Thôn Giả Định, xã Suối Mây (địa chỉ giả định)",
        phone="0000 000 201",
        hotline="0000 000 211",
        intro=(
            "<p>Nhà trường phối hợp với cha mẹ học sinh để mỗi em được an toàn khi đến "
            "trường và khi ở nhà. Nếu em gặp chuyện không vui, hãy nói với thầy cô "
            "hoặc gọi ngay 111.</p>"
        ),
    ),
]

# (username, first name, last name, role, school codes)
STAFF = [
    ("quantri", "Quản trị", "Hệ thống", Role.ADMINISTRATOR, ["HB", "SM"]),
    ("pgd.canbo", "Cán bộ", "Phòng GD", Role.DISTRICT_OFFICER, ["HB", "SM"]),
    ("hieutruong.hb", "Hiệu trưởng", "Hoa Ban", Role.PRINCIPAL, ["HB"]),
    ("bientap.hb", "Biên tập", "Hoa Ban", Role.EDITOR, ["HB"]),
    ("ctxh.hb", "Tư vấn", "Hoa Ban", Role.CASE_WORKER, ["HB"]),
    ("hieutruong.sm", "Hiệu trưởng", "Suối Mây", Role.PRINCIPAL, ["SM"]),
    ("bientap.sm", "Biên tập", "Suối Mây", Role.EDITOR, ["SM"]),
    ("ctxh.sm", "Tư vấn", "Suối Mây", Role.CASE_WORKER, ["SM"]),
    # Homeroom teachers: they raise concerns and read back only their status.
    ("giaovien.hb", "Giáo viên chủ nhiệm", "Hoa Ban", Role.STAFF, ["HB"]),
    ("giaovien.sm", "Giáo viên chủ nhiệm", "Suối Mây", Role.STAFF, ["SM"]),
]


def _published_child(parent: Page, *, slug: str, title: str, intro: str) -> HomePage:
    """Return the HomePage with this slug under ``parent``, creating and publishing it once."""
    existing = parent.get_children().filter(slug=slug).specific().first()
    if existing is not None:
        return existing
    page = parent.add_child(instance=HomePage(title=title, slug=slug, intro=intro))
    page.save_revision().publish()
    return page


class Command(BaseCommand):
    help = "Load the demo district, two schools, their home pages and staff accounts (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--port",
            type=int,
            default=DEMO_PORT,
            help="The port the demo is served on (`make run PORT=…`): the sites and links use it.",
        )

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        self.port = options["port"]
        root = self._tree_root()
        portal = _published_child(
            root, slug=DISTRICT["slug"], title=DISTRICT["name"], intro=DISTRICT["intro"]
        )
        self._use_portal_as_default_site(portal)

        district, _ = District.objects.update_or_create(
            code=DISTRICT["code"],
            defaults={
                "name": DISTRICT["name"],
                "address": DISTRICT["address"],
                "phone": DISTRICT["phone"],
                "root_page": portal,
            },
        )

        schools = {}
        for demo in SCHOOLS:
            home = _published_child(portal, slug=demo.slug, title=demo.name, intro=demo.intro)
            school, _ = School.objects.update_or_create(
                code=demo.code,
                defaults={
                    "district": district,
                    "name": demo.name,
                    "level": demo.level,
                    "place_name": demo.place_name,
                    "address": demo.address,
                    "phone": demo.phone,
                    "hotline": demo.hotline,
                    "root_page": home,
                },
            )
            # Found by host name alone, so serving on another port moves the site there.
            Site.objects.update_or_create(
                hostname=demo.host,
                defaults={
                    "port": self.port,
                    "root_page": home,
                    "site_name": demo.name,
                    "is_default_site": False,
                },
            )
            schools[demo.code] = school
            school.refresh_from_db()
            build_school_content(school)

        accounts = self._load_staff(schools)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: 1 district, {len(schools)} schools, {len(accounts)} accounts."
            )
        )
        if settings.DEBUG:
            self._print_accounts(accounts, schools)
        else:
            self.stdout.write(
                "Demo accounts have no usable password outside DEBUG; "
                "set one with: manage.py changepassword USERNAME"
            )
        call_command("load_demo_cases", stdout=self.stdout)
        call_command("load_demo_learners", stdout=self.stdout)
        call_command("load_demo_concerns", stdout=self.stdout)
        # A semester of counselling and activities, then the reports that count them.
        call_command("load_demo_counselling", stdout=self.stdout)
        call_command("load_demo_reports", stdout=self.stdout)

    def _tree_root(self) -> Page:
        """Wagtail's root node and default locale, recreated if the tables were emptied."""
        Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        return Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))

    def _use_portal_as_default_site(self, portal: Page) -> None:
        """Point the default site at the portal and drop Wagtail's placeholder page."""
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            site = Site(is_default_site=True)
        placeholder = site.root_page if site.root_page_id else None
        site.hostname = "127.0.0.1"
        site.port = self.port
        site.root_page = portal
        site.site_name = "Trường An Toàn"
        site.save()
        if (
            placeholder is not None
            and placeholder.pk != portal.pk
            and placeholder.specific_class is Page
            and not placeholder.get_children().exists()
            and not Site.objects.filter(root_page=placeholder).exists()
        ):
            placeholder.delete()

    def _load_staff(self, schools: dict[str, School]) -> list[tuple[str, str, list[str]]]:
        User = get_user_model()
        accounts = []
        admin, _created = User.objects.get_or_create(
            username="admin",
            defaults={
                "first_name": "Quản trị",
                "last_name": "viên",
                "email": "admin@example.invalid",
            },
        )
        admin.is_staff = admin.is_superuser = True
        self._set_password(admin)
        admin.save()
        accounts.append(("admin", "superuser", []))

        for username, first, last, role, codes in STAFF:
            user, _ = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@example.invalid",
                },
            )
            self._set_password(user)
            user.save()
            for code in codes:
                Membership.objects.get_or_create(school=schools[code], user=user, role=role)
            accounts.append((username, Role(role).label, codes))
        return accounts

    def _set_password(self, user) -> None:
        if settings.DEBUG:
            user.set_password(DEMO_PASSWORD)
        elif not user.password or user.check_password(DEMO_PASSWORD):
            # Never leave the published demo password on a non-DEBUG server.
            user.set_unusable_password()

    def _print_accounts(self, accounts: list, schools: dict[str, School]) -> None:
        self.stdout.write("")
        self.stdout.write("Tài khoản minh họa / demo accounts (DEBUG only):")
        self.stdout.write(f"  password for all: {DEMO_PASSWORD}")
        for username, role, codes in accounts:
            where = ", ".join(schools[c].name for c in codes) or "—"
            self.stdout.write(f"  {username:<15} {role!s:<40} {where}")
        self.stdout.write("")
        self.stdout.write(
            f"  Admin:    http://127.0.0.1:{self.port}/admin/  (admin / {DEMO_PASSWORD})"
        )
        self.stdout.write(f"  Portal:   http://127.0.0.1:{self.port}/")
        for demo in SCHOOLS:
            self.stdout.write(f"  {demo.code}:       http://{demo.host}:{self.port}/")
