"""Build a province on PostgreSQL: a thousand schools, each a site, and their years of work.

Issue 18 measures one deployment for a provincial education department (Sở GD&ĐT):
1,000 schools (each a Wagtail ``Site`` on its own host name and a section of the
tree under its district's portal, under the Sở's site, whose search covers every
school), 100,000 public pages, 200,000 cases with their Mẫu 01–04 records, 500,000
audit entries in one valid chain, the search index, and the bench accounts (a case
worker and a principal at the first school, a district officer over its district)::

    .venv/bin/python bench/province.py \\
        --database-url postgres://postgres@127.0.0.1:5432/province_full \\
        --scale full --manifest var/bench/province-full.json

The database is created when missing and migrated; one that already holds schools
is refused unless ``--rebuild`` (which drops and creates it again). Every process
that serves it needs the same bench keys (``bench.run.bench_keys``, kept in
``var/bench/keys.json``): the case fields are encrypted and the audit chain keyed
with them at build time.

Fast by construction: the tree columns of every page are computed here and the
rows written with ``bulk_create`` in large batches (``add_child`` costs tens of
milliseconds a page); cases reuse ``bench/dataset.py``'s ``CaseFactory``, with each
distinct plaintext encrypted once (a bench database may show that two cells hold
the same text; nothing else about the tokens changes); the audit chain is computed
with the audit app's own digest and written with ``COPY``. Every name, number and
story is invented.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import sys
import time
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SCALES: dict[str, dict[str, int]] = {
    "full": {
        "districts": 20,
        "schools": 1000,
        "pages": 100_000,
        "cases": 200_000,
        "audit": 500_000,
        "concerns": 3000,
    },
    "small": {
        "districts": 2,
        "schools": 10,
        "pages": 1000,
        "cases": 2000,
        "audit": 5000,
        "concerns": 60,
    },
}
COUNT_KEYS = ("districts", "schools", "pages", "cases", "audit", "concerns")

# A school's public pages, in the proportions of bench/dataset.py's (2,000 : 500 : 500).
PAGE_SHARES = (("plans", 4), ("campaigns", 1), ("materials", 1))
HOTLINES_PER_SCHOOL = 8
PROVINCIAL_HOTLINES = 4
IMAGE_POOL = 40
# One case in this many is written by bench.dataset's CaseFactory; the rest are copies.
PROTOTYPE_SHARE = 40

DOMAIN = "tinh.example"
PROVINCE_HOST = f"so.{DOMAIN}"
PROVINCE_SLUG = "so-gddt-tinh-thu-nghiem"
PROVINCE_NAME = "Sở GD&ĐT tỉnh Thử Nghiệm (đơn vị minh họa)"
PROVINCE_CODE = "SGDTN"

BENCH_PASSWORD = "bench-antoan-Kq7v-2026"
WORKER_USERNAME = "tinh.ctxh"
PRINCIPAL_USERNAME = "tinh.hieutruong"
OFFICER_USERNAME = "tinh.pgd"
# Fixed TOTP secrets (hex, 20 bytes) so the runner can compute sign-in codes.
WORKER_TOTP_HEX = "74696e682d637478682d746f74702d6b65792d31"
PRINCIPAL_TOTP_HEX = "74696e682d686965752d746f74702d6b65792d32"
OFFICER_TOTP_HEX = "74696e682d7067642d2d746f74702d6b65792d33"

SEED = 20260418
BATCH = 2000
AUDIT_BATCH = 20_000

# Place names: two syllables each, so a thousand schools and twenty districts read as
# a province and searching for one finds only its pages.
SYLLABLES = [
    *[
        "An",
        "Bình",
        "Cát",
        "Đông",
        "Giang",
        "Hà",
        "Hòa",
        "Khê",
        "Lạc",
        "Lâm",
        "Long",
        "Minh",
        "Nam",
        "Ninh",
        "Phong",
        "Phú",
        "Quang",
        "Sơn",
    ],
    *[
        "Tân",
        "Thạch",
        "Thanh",
        "Thuận",
        "Tiên",
        "Trung",
        "Vân",
        "Vĩnh",
        "Xuân",
        "Yên",
        "Hưng",
        "Đồng",
        "Mỹ",
        "Lộc",
        "Kim",
        "Hải",
    ],
    *[
        "Bắc",
        "Cẩm",
        "Đức",
        "Hiệp",
        "Hồng",
        "Lương",
        "Mai",
        "Nghĩa",
        "Phước",
        "Quế",
        "Sa",
        "Tây",
        "Thọ",
        "Trà",
        "Tường",
        "Uyên",
        "Văn",
    ],
]
LEVELS = (
    ("TH", "Trường Tiểu học", "primary"),
    ("THCS", "Trường THCS", "lower_secondary"),
    ("THPT", "Trường THPT", "upper_secondary"),
    ("TH&THCS", "Trường TH&THCS", "multi_level"),
)
# Words a school's pages add to the shared text, so that searches differ in reach.
FLAVOUR = [
    "bếp ăn bán trú",
    "thư viện thân thiện",
    "câu lạc bộ bóng đá",
    "vườn trường",
    "ký túc xá",
    "lớp học tình thương",
    "hội trại truyền thống",
    "chuyến tham quan thực tế",
    "phiên chợ quê",
    "góc đọc sách",
    "đội văn nghệ",
    "bài hát dân ca",
    "trò chơi dân gian",
    "xe đạp đến trường",
    "áo ấm mùa đông",
    "nước sạch học đường",
    "cầu treo qua suối",
    "điểm trường lẻ",
    "ngày hội đọc sách",
    "tiếng dân tộc thiểu số",
]
RARE_WORD = "chuồn chuồn ớt"  # in a handful of pages of the whole province

SEARCH_COMMON = "học đường"
SEARCH_FOLDED = "bao luc hoc duong"
SEARCH_DIACRITICS = "bạo lực học đường"
SEARCH_NONE = "zyxwv khongcotrongtinh"
SEARCH_PATH = "/tim-kiem/"
NOT_FOUND_PATH = "/khong-co-trang-nay-404/"
TRIAGE_QUEUE_PATH = "/admin/tiep-nhan-thong-tin/"
OVERVIEW_PATH = "/admin/phong-gd/"


def say(message: str) -> None:
    print(message, flush=True)


# Environment ------------------------------------------------------------------------


def configure(database_url: str) -> dict[str, str]:
    """Set the environment of a bench server (bench keys, bench settings) and start Django.

    The same function as the runner's (``bench.run.bench_env``), with the database
    given by URL, so the build encrypts and chains with the keys the servers get.
    """
    from bench.run import bench_env

    env = bench_env(ROOT / "unused.sqlite3", [f".{DOMAIN}"], DATABASE_URL=database_url)
    os.environ.update(env)
    import django

    django.setup()
    return env


TEMPLATE_DATABASE = "province_template"


def _admin_conninfo(database_url: str) -> tuple[str, str]:
    import psycopg

    name = psycopg.conninfo.conninfo_to_dict(database_url)["dbname"]
    return name, psycopg.conninfo.make_conninfo(database_url, dbname="postgres")


def ensure_database(database_url: str, *, rebuild: bool) -> None:
    """Create the database when missing (dropped first with ``rebuild``).

    A new database is copied from ``province_template``, a migrated empty one kept
    beside it, when that exists: migrating from nothing takes minutes, and
    ``migrate`` then applies only what is newer than the copy.
    """
    import psycopg
    from psycopg import sql

    name, admin = _admin_conninfo(database_url)
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and rebuild:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            conn.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
            exists = None
        if exists:
            return
        template = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [TEMPLATE_DATABASE]
        ).fetchone()
        if template and name != TEMPLATE_DATABASE:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(TEMPLATE_DATABASE)
                )
            )
            say(f"database {name} created from {TEMPLATE_DATABASE}")
        else:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            say(f"database {name} created")


def keep_template(database_url: str) -> None:
    """Copy the freshly migrated, still empty database to ``province_template`` when the
    template is missing or lacks a migration, so the next build starts from it."""
    import psycopg
    from django.db import connections
    from psycopg import sql

    name, admin = _admin_conninfo(database_url)
    applied = "SELECT count(*) FROM django_migrations"
    with psycopg.connect(database_url) as conn:
        ours = conn.execute(applied).fetchone()[0]
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [TEMPLATE_DATABASE]
        ).fetchone():
            template_url = psycopg.conninfo.make_conninfo(database_url, dbname=TEMPLATE_DATABASE)
            with psycopg.connect(template_url) as other:
                if other.execute(applied).fetchone()[0] == ours:
                    return
            conn.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(TEMPLATE_DATABASE)))
        connections.close_all()
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(TEMPLATE_DATABASE), sql.Identifier(name)
            )
        )
        say(f"{TEMPLATE_DATABASE} kept for the next build")


# Counts -----------------------------------------------------------------------------


def counts_for(scale: str | Mapping[str, int]) -> dict[str, int]:
    if isinstance(scale, str):
        if scale not in SCALES:
            raise ValueError(f"Unknown scale {scale!r}; use one of {sorted(SCALES)}.")
        return dict(SCALES[scale])
    counts = {key: int(scale.get(key, 0)) for key in COUNT_KEYS}
    counts["districts"] = max(1, counts["districts"])
    return counts


def _shares(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def _place_name(n: int) -> str:
    a, b = divmod(n, len(SYLLABLES))
    return f"{SYLLABLES[a % len(SYLLABLES)]} {SYLLABLES[(b + 7 * a) % len(SYLLABLES)]}"


# The tree -----------------------------------------------------------------------------


class Tree:
    """Pages placed by computing their treebeard columns, then written in bulk.

    ``place`` gives an unsaved specific page its path, depth, url_path and the
    columns a published page carries; ``write`` inserts the ``wagtailcore_page``
    rows with ``bulk_create`` and each model's own rows with ``_insert``, which
    is what a multi-table ``save`` does besides its signals. The number of
    children of a page is known when it is placed, so no count is updated later.
    """

    def __init__(self, locale_id: int) -> None:
        from django.contrib.contenttypes.models import ContentType

        self.locale_id = locale_id
        self.pending: list = []
        self.content_types: dict[type, Any] = {}
        self.get_ct = ContentType.objects.get_for_model

    def place(self, page, parent, position: int, children: int, when: datetime.datetime):
        from wagtail.models import Page

        model = type(page)
        if model not in self.content_types:
            self.content_types[model] = self.get_ct(model)
        page.depth = parent.depth + 1
        page.path = Page._get_path(parent.path, page.depth, position)
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.numchild = children
        page.content_type = self.content_types[model]
        page.locale_id = self.locale_id
        page.live = True
        page.has_unpublished_changes = False
        page.draft_title = page.title
        page.translation_key = uuid.uuid4()
        page.first_published_at = page.last_published_at = when
        self.pending.append(page)
        return page

    def write(self) -> list:
        from django.db import connection
        from wagtail.models import Page

        pages, self.pending = self.pending, []
        if not pages:
            return pages
        # Ids are taken from the sequence first, so the rows can be copied with them.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence('wagtailcore_page', 'id')) "
                "FROM generate_series(1, %s)",
                [len(pages)],
            )
            for page, (pk,) in zip(pages, cursor.fetchall(), strict=True):
                page.id = page.page_ptr_id = pk
                page._state.adding = False
        copy_rows(Page, pages, Page._meta.concrete_fields)
        by_model: dict[type, list] = {}
        for page in pages:
            by_model.setdefault(type(page), []).append(page)
        for model, same in by_model.items():
            copy_rows(model, same, model._meta.local_concrete_fields)
        return pages


def copy_rows(model, objs: list, fields: list, batch: int = 5000) -> None:
    """Write ``objs`` into ``model``'s table with COPY, each value as its field saves it.

    Django's ``bulk_create`` on PostgreSQL sends columns as arrays that psycopg
    escapes character by character; for pages with long StreamField bodies that
    costs milliseconds a row. Values are prepared first: no query may run on the
    connection while a COPY is open.
    """
    from django.db import connection

    table = model._meta.db_table
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    for start in range(0, len(objs), batch):
        rows = [
            [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
            for obj in objs[start : start + batch]
        ]
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)


# Build ---------------------------------------------------------------------------------


class ProvinceBuilder:
    """Writes the province into a migrated, empty database; ``build`` returns the manifest."""

    def __init__(self, counts: dict[str, int], log: Callable[[str], None] = say) -> None:
        self.counts = counts
        self.log = log
        self.rng = random.Random(SEED)
        self.started = time.monotonic()
        self.now = None

    def step(self, message: str) -> None:
        self.log(f"{message} ({time.monotonic() - self.started:.1f} s)")

    def build(self) -> dict[str, Any]:
        from django.db import transaction
        from django.utils import timezone

        from schools.models import School

        if School.objects.exists():
            raise RuntimeError("The database already holds schools: build into a new database.")
        self.now = timezone.now()
        with transaction.atomic(), _encrypt_each_plaintext_once():
            self.tree_and_schools()
            self.content()
            self.people()
            self.cases()
            self.reports()
            self.audit()
        self.step("committed")
        return self.manifest()

    # Districts, schools, sites

    def tree_and_schools(self) -> None:
        from django.conf import settings
        from wagtail.coreutils import get_supported_content_language_variant
        from wagtail.models import Locale, Page, Site

        from pages.models import (
            CampaignIndexPage,
            HomePage,
            HotlineNoticePage,
            MaterialIndexPage,
            PlanIndexPage,
            StandardPage,
        )
        from schools.models import District, School

        counts = self.counts
        locale, _ = Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        root = Page.get_first_root_node()
        # Wagtail's welcome page goes; the Sở's home becomes the default site.
        Site.objects.all().delete()
        for page in root.get_children():
            page.delete()
        root.refresh_from_db()
        tree = Tree(locale.pk)
        when = self.now - datetime.timedelta(days=1200)
        districts = counts["districts"]
        per_district = _shares(counts["schools"], districts)
        province = tree.place(
            HomePage(
                title=PROVINCE_NAME,
                slug=PROVINCE_SLUG,
                intro="<p>Cổng thông tin công tác xã hội trong trường học của toàn tỉnh "
                "(dữ liệu minh họa).</p>",
            ),
            root,
            1,
            districts,
            when,
        )
        Page.objects.filter(pk=root.pk).update(numchild=1)
        district_pages, school_pages = [], []
        number = 0
        for d in range(districts):
            place = _place_name(1000 + d * 37)
            district_pages.append(
                tree.place(
                    HomePage(
                        title=f"Phòng GD&ĐT huyện {place} (minh họa)",
                        slug=f"phong-gddt-{d + 1:02d}",
                        intro=f"<p>Các trường của huyện {place} (dữ liệu minh họa).</p>",
                    ),
                    province,
                    d + 1,
                    per_district[d],
                    when,
                )
            )
            for position in range(per_district[d]):
                number += 1
                _abbr, kind, _level = LEVELS[number % len(LEVELS)]
                name = f"{kind} {_place_name(number)} (trường minh họa)"
                school_pages.append(
                    tree.place(
                        HomePage(
                            title=name,
                            slug=f"t{number:04d}",
                            intro=f"<p>Tổ tư vấn học đường của {name} luôn lắng nghe các em.</p>",
                            how_to_get_help="<p>Phòng tư vấn mở cửa giờ ra chơi; em có thể "
                            "gọi 111 bất cứ lúc nào.</p>",
                        ),
                        district_pages[-1],
                        position + 1,
                        5,
                        when,
                    )
                )
        # Each school's section: the pages a school has before it writes anything.
        self.indexes: dict[str, list] = {"plans": [], "campaigns": [], "materials": []}
        for home in school_pages:
            sections = [
                (StandardPage, "to-tu-van", "Tổ tư vấn học đường", None),
                (HotlineNoticePage, "duong-day-nong", "Đường dây nóng", None),
                (PlanIndexPage, "ke-hoach", "Kế hoạch và văn bản", "plans"),
                (CampaignIndexPage, "chien-dich", "Chiến dịch, hoạt động", "campaigns"),
                (MaterialIndexPage, "tai-lieu", "Tài liệu tuyên truyền", "materials"),
            ]
            for position, (model, slug, title, key) in enumerate(sections, start=1):
                page = tree.place(
                    model(title=title, slug=slug, show_in_menus=True, intro=""),
                    home,
                    position,
                    0,
                    when,
                )
                if key:
                    self.indexes[key].append(page)
        tree.write()
        self.step(f"tree: {len(district_pages)} districts, {len(school_pages)} school sections")

        District.objects.create(
            name=PROVINCE_NAME,
            code=PROVINCE_CODE,
            kind=District.Kind.EDUCATION_DEPARTMENT,
            root_page_id=province.pk,
        )
        district_rows = District.objects.bulk_create(
            [
                District(name=p.title, code=f"H{d + 1:02d}", root_page_id=p.pk)
                for d, p in enumerate(district_pages)
            ]
        )
        schools, owner = [], []
        for d, count in enumerate(per_district):
            owner += [district_rows[d]] * count
        for n, (home, district) in enumerate(zip(school_pages, owner, strict=True), start=1):
            schools.append(
                School(
                    district=district,
                    name=home.title,
                    code=f"T{n:04d}",
                    level=LEVELS[n % len(LEVELS)][2],
                    place_name=_place_name(n),
                    address=f"Xã {_place_name(n)} (địa chỉ giả định)",
                    phone=f"0000 {n // 1000:03d} {n % 1000:03d}",
                    hotline=f"0000 8{n // 1000:02d} {n % 1000:03d}",
                    root_page_id=home.pk,
                )
            )
        self.collections(schools)
        self.schools = School.objects.bulk_create(schools)
        self.homes = school_pages
        Site.objects.create(
            hostname=PROVINCE_HOST,
            port=80,
            root_page_id=province.pk,
            site_name=PROVINCE_NAME,
            is_default_site=True,
        )
        Site.objects.bulk_create(
            [
                Site(
                    hostname=f"{s.code.lower()}.{DOMAIN}",
                    port=80,
                    root_page_id=s.root_page_id,
                    site_name=s.name,
                )
                for s in self.schools
            ]
        )
        self.province_page = province
        self.step(f"{len(self.schools)} schools and their sites")
        self.groups_and_workflows()

    def collections(self, schools: list) -> None:
        """Each school's own image and document collection, as ``_school_collection`` makes it."""
        from django.db.models import F
        from wagtail.models import Collection

        root = Collection.get_first_root_node()
        last = root.get_last_child()
        start = Collection._str2int(last.path[-Collection.steplen :]) if last else 0
        rows = [
            Collection(
                name=school.name,
                path=Collection._get_path(root.path, root.depth + 1, start + n),
                depth=root.depth + 1,
                numchild=0,
            )
            for n, school in enumerate(schools, start=1)
        ]
        Collection.objects.bulk_create(rows, batch_size=BATCH)
        Collection.objects.filter(pk=root.pk).update(numchild=F("numchild") + len(rows))
        for school, collection in zip(schools, rows, strict=True):
            school.collection = collection

    def groups_and_workflows(self) -> None:
        """What ``School.save`` does through its signals, in bulk: the school's role groups
        with their rights on its section and collection (``schools.roles.sync_school_groups``)
        and its review workflow (``pages.workflows.sync_school_workflow``). Running those
        functions afterwards changes nothing (the test checks it)."""
        from django.contrib.auth.models import Group, Permission
        from django.contrib.contenttypes.models import ContentType
        from wagtail.models import (
            GroupCollectionPermission,
            GroupPagePermission,
            Task,
            Workflow,
            WorkflowPage,
            WorkflowTask,
        )

        from pages.models import PrincipalApprovalTask
        from pages.workflows import task_name, workflow_name
        from schools.models import RoleGroup
        from schools.roles import (
            COLLECTION_PERMISSIONS,
            PAGE_PERMISSIONS,
            Role,
            _permissions,
            school_group_name,
        )

        schools = self.schools
        roles = sorted(set(PAGE_PERMISSIONS) | set(COLLECTION_PERMISSIONS))
        page_perms = {
            p.codename: p
            for p in Permission.objects.filter(
                content_type__app_label="wagtailcore", content_type__model="page"
            )
        }
        collection_perms = {
            role: _permissions(COLLECTION_PERMISSIONS[role])
            for role in roles
            if role in COLLECTION_PERMISSIONS
        }
        pairs = [(school, role) for school in schools for role in roles]
        groups = Group.objects.bulk_create(
            [Group(name=school_group_name(role, school.code)) for school, role in pairs],
            batch_size=BATCH,
        )
        RoleGroup.objects.bulk_create(
            [
                RoleGroup(role=role, school=school, group=group)
                for (school, role), group in zip(pairs, groups, strict=True)
            ],
            batch_size=BATCH,
        )
        page_rows, collection_rows = [], []
        principal_groups = {}
        for (school, role), group in zip(pairs, groups, strict=True):
            if role == Role.PRINCIPAL:
                principal_groups[school.pk] = group
            for kind in sorted(PAGE_PERMISSIONS.get(role, ())):
                page_rows.append(
                    GroupPagePermission(
                        group=group,
                        page_id=school.root_page_id,
                        permission=page_perms[f"{kind}_page"],
                    )
                )
            for perm in collection_perms.get(role, ()):
                collection_rows.append(
                    GroupCollectionPermission(
                        group=group, collection_id=school.collection_id, permission=perm
                    )
                )
        GroupPagePermission.objects.bulk_create(page_rows, batch_size=BATCH)
        GroupCollectionPermission.objects.bulk_create(collection_rows, batch_size=BATCH)

        # PrincipalApprovalTask is a multi-table model: the Task rows, then its own.
        content_type = ContentType.objects.get_for_model(PrincipalApprovalTask)
        tasks = Task.objects.bulk_create(
            [Task(name=task_name(s), active=True, content_type=content_type) for s in schools],
            batch_size=BATCH,
        )
        specific = []
        for task in tasks:
            row = PrincipalApprovalTask(name=task.name, active=True, content_type=content_type)
            row.pk = row.task_ptr_id = task.pk
            specific.append(row)
        PrincipalApprovalTask._base_manager._insert(
            specific, fields=PrincipalApprovalTask._meta.local_concrete_fields
        )
        groups_field = PrincipalApprovalTask._meta.get_field("groups")
        through = groups_field.remote_field.through
        source, target = groups_field.m2m_column_name(), groups_field.m2m_reverse_name()
        through.objects.bulk_create(
            [
                through(**{source: t.pk, target: principal_groups[s.pk].pk})
                for s, t in zip(schools, tasks, strict=True)
            ],
            batch_size=BATCH,
        )
        workflows = Workflow.objects.bulk_create(
            [Workflow(name=workflow_name(s), active=True) for s in schools], batch_size=BATCH
        )
        WorkflowTask.objects.bulk_create(
            [
                WorkflowTask(workflow=w, task_id=t.pk, sort_order=0)
                for w, t in zip(workflows, tasks, strict=True)
            ],
            batch_size=BATCH,
        )
        WorkflowPage.objects.bulk_create(
            [
                WorkflowPage(page_id=s.root_page_id, workflow=w)
                for s, w in zip(schools, workflows, strict=True)
            ],
            batch_size=BATCH,
        )
        self.step("role groups, collections and review workflows")

    # Public content

    def content(self) -> None:
        from wagtail.models import Collection

        from bench import dataset
        from pages.models import Audience, CampaignPage, MaterialPage, PlanPage, Topic

        rng = self.rng
        topics = {t.slug: t for t in Topic.objects.all()}
        audiences = {a.code: a for a in Audience.objects.all()}
        images = dataset._make_images(
            rng,
            _Owner(Collection.get_first_root_node(), "tinh"),
            [f"Hoạt động số {n + 1}" for n in range(IMAGE_POOL)],
        )
        self.step(f"{len(images)} images")
        weights = sum(w for _k, w in PAGE_SHARES)
        per_school = _shares(self.counts["pages"], len(self.schools))
        tree = Tree(self.homes[0].locale_id)
        plans, awareness, made = [], [], {PlanPage: [], CampaignPage: [], MaterialPage: []}
        rare_left = 7
        for s, school in enumerate(self.schools):
            total = per_school[s]
            # A school with a few pages still has a campaign and a material to show.
            n_campaigns = n_materials = max(total // weights, 1 if total >= 3 else 0)
            n_plans = total - n_campaigns - n_materials
            flavour = FLAVOUR[s % len(FLAVOUR)]
            place = school.place_name
            extra = f"Nhà trường ở xã {place} duy trì {flavour}."
            if rare_left and s % max(1, len(self.schools) // 7) == 0:
                extra += f" Học sinh đặt tên câu lạc bộ là “{RARE_WORD}”."
                rare_left -= 1
            index = self.indexes["plans"][s]
            index.numchild = n_plans
            plans.append((school, index, n_plans, extra))
            for key, model, count in (
                ("campaigns", CampaignPage, n_campaigns),
                ("materials", MaterialPage, n_materials),
            ):
                parent = self.indexes[key][s]
                parent.numchild = count
                awareness.append((school, parent, model, count, extra))
        for school, index, count, extra in plans:
            made[PlanPage] += self._plans(tree, school, index, count, topics, extra)
        for _school, parent, model, count, extra in awareness:
            made[model] += self._awareness(tree, parent, model, count, images, extra)
        self.step(f"{sum(len(v) for v in made.values())} pages prepared")
        self._write_pages(tree, made, topics, audiences)
        from django.db.models import Case, IntegerField, Value, When
        from wagtail.models import Page

        parents = [p for key in self.indexes for p in self.indexes[key]]
        for start in range(0, len(parents), 1000):
            chunk = parents[start : start + 1000]
            Page.objects.filter(pk__in=[p.pk for p in chunk]).update(
                numchild=Case(
                    *[When(pk=p.pk, then=Value(p.numchild)) for p in chunk],
                    output_field=IntegerField(),
                )
            )
        self.made = made
        self.step("pages written")
        self._hotlines()
        with _same_text_once():
            write_search_index([(model, [p.pk for p in pages]) for model, pages in made.items()])
            dataset._index_images()
            self._index_sections()
        self.step("search index written")

    def _plans(self, tree: Tree, school, index, count: int, topics: dict, extra: str) -> list:
        from bench import dataset
        from pages.models import PlanPage

        rng = self.rng
        short = school.name.split(" (")[0]
        today = self.now.date()
        used: set[str] = set()
        pages = []
        for n in range(count):
            kind = rng.choice(list(dataset.KIND_TITLES))
            subject, topic_slug = rng.choice(dataset.SUBJECTS)
            year = rng.randint(today.year - 6, today.year)
            term = rng.choice(["I", "II"])
            title = rng.choice(dataset.KIND_TITLES[kind]).format(
                s=subject, p=dataset._school_year(year), hk=term
            )
            issue_date = datetime.date(year, rng.choice([9, 10, 11, 12]), rng.randint(1, 28))
            if issue_date > today:
                issue_date = today - datetime.timedelta(days=rng.randint(1, 60))
            body = dataset._plan_body(rng, subject)
            page = PlanPage(
                title=title,
                slug=dataset._unique_slug(title, used),
                document_number=f"{n + 100}/{dataset.KIND_CODES[kind]}-{school.code}",
                kind=kind,
                issuing_body=short,
                issue_place=school.place_name,
                issue_date=issue_date,
                summary=f"Triển khai công tác {subject} năm học {dataset._school_year(year)}. "
                f"{extra} (văn bản minh họa)",
                period_label=f"năm học {dataset._school_year(year)}",
                period_start_year=year,
                period_end_year=year + 1,
                recipients="Phòng GD&ĐT (để báo cáo)\nCác tổ chuyên môn\nLưu: VT",
                signer_authority=rng.choice(["HIỆU TRƯỞNG", "KT. HIỆU TRƯỞNG\nPHÓ HIỆU TRƯỞNG"]),
                signer_name=dataset._person(rng).replace(" (giả định)", ""),
                search_description=f"Văn bản minh họa về {subject}.",
                body=body,
            )
            page._topics = {topic_slug, rng.choice(dataset.SUBJECTS)[1]}
            when = _aware(datetime.datetime.combine(issue_date, datetime.time(8, 0)))
            pages.append(tree.place(page, index, n + 1, 0, when))
        return pages

    def _awareness(self, tree: Tree, parent, model, count: int, images, extra: str) -> list:
        from bench import dataset
        from pages.models import CampaignPage

        rng = self.rng
        is_campaign = model is CampaignPage
        today = self.now.date()
        used: set[str] = set()
        pages = []
        for n in range(count):
            subject, topic_slug = rng.choice(dataset.SUBJECTS)
            if is_campaign:
                title = rng.choice(dataset.CAMPAIGN_TITLES).format(
                    s=subject, k=rng.choice([6, 7, 8, 9]), m=rng.randint(1, 12)
                )
                fields: dict[str, Any] = {}
            else:
                pattern, fmt = rng.choice(dataset.MATERIAL_TITLES)
                title = pattern.format(s=subject)
                fields = {"format": fmt}
            fields.update(
                title=title,
                slug=dataset._unique_slug(title, used),
                intro=f"Hoạt động minh họa của nhà trường về {subject}. {extra}",
                search_description=f"Minh họa: {subject}.",
                body=dataset._story(rng, subject),
            )
            image = rng.choice(images)
            if is_campaign:
                start = today + datetime.timedelta(days=rng.randint(-900, 60))
                fields.update(
                    start_date=start,
                    end_date=start + datetime.timedelta(days=rng.choice([7, 14, 30])),
                    hero_image_id=image.pk,
                )
                published = min(start - datetime.timedelta(days=7), today)
            else:
                fields["image_id"] = image.pk
                published = today - datetime.timedelta(days=rng.randint(0, 900))
            page = model(**fields)
            page._topics = {topic_slug}
            page._audiences = rng.sample(sorted(AUDIENCE_CODES), rng.randint(1, 2))
            when = _aware(datetime.datetime.combine(published, datetime.time(9, 0)))
            pages.append(tree.place(page, parent, n + 1, 0, when))
        return pages

    def _write_pages(self, tree: Tree, made: dict, topics: dict, audiences: dict) -> None:
        tree.write()
        for model, pages in made.items():
            name = model._meta.model_name
            through = model._meta.get_field("topics").remote_field.through
            through.objects.bulk_create(
                [
                    through(**{f"{name}_id": p.pk, "topic_id": topics[slug].pk})
                    for p in pages
                    for slug in p._topics
                    if slug in topics
                ],
                batch_size=BATCH,
            )
            if hasattr(model, "audiences"):
                through = model._meta.get_field("audiences").remote_field.through
                through.objects.bulk_create(
                    [
                        through(**{f"{name}_id": p.pk, "audience_id": audiences[code].pk})
                        for p in pages
                        for code in p._audiences
                        if code in audiences
                    ],
                    batch_size=BATCH,
                )

    def _index_sections(self) -> None:
        """The home and section pages in the search index too, as publishing would put them."""
        from pages.models import HomePage

        ids = [self.province_page.pk] + [h.pk for h in self.homes]
        write_search_index([(HomePage, ids)])

    def _hotlines(self) -> None:
        from pages.models import Hotline

        rng = self.rng
        rows = [
            Hotline(
                number=f"0000 90{n} 00{n}",
                name=f"Đường dây tư vấn của tỉnh (minh họa {n + 1})",
                purpose="Số điện thoại minh họa, không gọi được",
                hours="24/7",
                is_free=True,
                scope=Hotline.Scope.PROVINCIAL,
                sort_order=10 + n,
            )
            for n in range(PROVINCIAL_HOTLINES)
        ]
        names = ["Phòng tư vấn", "Tổng phụ trách Đội", "Y tế trường", "Bí thư Chi đoàn", "Bảo vệ"]
        for s, school in enumerate(self.schools):
            for n in range(HOTLINES_PER_SCHOOL):
                rows.append(
                    Hotline(
                        number=f"0000 {s:04d} {n:03d}",
                        name=f"{names[n % len(names)]} (minh họa)",
                        purpose="Số điện thoại minh họa, không gọi được",
                        hours=rng.choice(["24/7", "7:00–17:00, thứ Hai–thứ Sáu"]),
                        scope=Hotline.Scope.SCHOOL,
                        school=school,
                        sort_order=100 + n,
                        active=n < 4,
                    )
                )
        Hotline.objects.bulk_create(rows, batch_size=BATCH)
        self.hotlines = len(rows)

    # Accounts

    def people(self) -> None:
        """A case worker and a principal per school (never signed in), and the bench three."""
        from django.contrib.auth import get_user_model

        from bench import dataset
        from schools.models import Membership, RoleGroup
        from schools.roles import Role, sync_user_groups

        User = get_user_model()
        first = self.schools[0]
        worker = dataset._bench_user(
            WORKER_USERNAME, "Cán bộ CTXH", "Tỉnh", "case_worker", first, WORKER_TOTP_HEX
        )
        principal = dataset._bench_user(
            PRINCIPAL_USERNAME, "Hiệu trưởng", "Tỉnh", "principal", first, PRINCIPAL_TOTP_HEX
        )
        district_schools = [s for s in self.schools if s.district_id == first.district_id]
        officer = dataset._bench_user(
            OFFICER_USERNAME,
            "Cán bộ Phòng GD&ĐT",
            "Tỉnh",
            "district_officer",
            first,
            OFFICER_TOTP_HEX,
        )
        Membership.objects.bulk_create(
            [
                Membership(school=s, user=officer, role=Role.DISTRICT_OFFICER)
                for s in district_schools[1:]
            ]
        )
        sync_user_groups(officer)
        self.workers = {first.pk: worker}
        self.principals = {first.pk: principal}
        self.officer = officer
        self.district_schools = district_schools
        others = self.schools[1:]
        users = User.objects.bulk_create(
            [
                User(
                    username=f"{prefix}.{s.code.lower()}",
                    first_name=label,
                    last_name=s.code,
                    email=f"{prefix}.{s.code.lower()}@example.invalid",
                    password="!",  # unusable: these accounts only own the generated cases
                )
                for s in others
                for prefix, label in (("ctxh", "Cán bộ CTXH"), ("ht", "Hiệu trưởng"))
            ],
            batch_size=BATCH,
        )
        links = {(link.role, link.school_id): link.group_id for link in RoleGroup.objects.all()}
        memberships, in_groups = [], []
        through = User.groups.through
        for n, school in enumerate(others):
            for user, role in (
                (users[2 * n], Role.CASE_WORKER),
                (users[2 * n + 1], Role.PRINCIPAL),
            ):
                memberships.append(Membership(school=school, user=user, role=role))
                for key in ((role, school.pk), (role, None)):
                    if key in links:
                        in_groups.append(through(user_id=user.pk, group_id=links[key]))
            self.workers[school.pk] = users[2 * n]
            self.principals[school.pk] = users[2 * n + 1]
        # bulk_create sends no post_save: the group rows are written here, as
        # schools.roles.sync_user_groups would write them.
        Membership.objects.bulk_create(memberships, batch_size=BATCH)
        through.objects.bulk_create(in_groups, batch_size=BATCH)
        self.step(f"{len(users) + 3} accounts")

    # Cases

    def cases(self) -> None:
        """Prototype cases written by ``bench.dataset.CaseFactory``, then copies of them.

        A fortieth of the cases are made one by one, with their Mẫu 01–04 records,
        events and deadlines, spread over every school; the rest are copies of those
        made in SQL, each at another school, with its own id, reference and that
        school's staff, and the same (already encrypted) answers and times.
        """
        from bench import dataset

        count = self.counts["cases"]
        prototypes = min(count, max(10, count // PROTOTYPE_SHARE))
        factory = dataset.CaseFactory(self.rng, self.schools, self.workers, self.principals)
        # Every school follows the same national calendar: read the holidays once.
        national: dict = {}
        for calendar in factory.calendars.values():
            calendar._national = national
        done = 0
        while done < prototypes:
            n = min(5000, prototypes - done)
            factory.build(n, self.now)
            done += n
            self.step(f"prototype cases: {done} ({factory.records} records)")
        if count > prototypes:
            clone_cases(self.schools, self.workers, self.principals, count - prototypes)
            self.step(f"cases: {count} in all")
        first = self.schools[0]
        dataset.ConcernFactory(
            self.rng, first, self.workers[first.pk], self.principals[first.pk]
        ).build(self.counts["concerns"], self.now)
        self.step(f"{self.counts['concerns']} concerns at {first.code}")

    # Reports

    def reports(self) -> None:
        """The first school's year report (a draft: its figures computed when opened) and the
        district's, submitted with frozen figures, for the officer's overview."""
        from bench.figures import _scaled, _school_year
        from reports.figures import compute_school_figures
        from reports.models import SchoolReport, SchoolReportVersion
        from reports.periods import period

        rng = self.rng
        year = period(_school_year(self.now), "year")
        first = self.schools[0]
        base = compute_school_figures(first, year, as_of=self.now)
        self.year_report = SchoolReport.objects.create(
            school=first,
            period=year,
            state=SchoolReport.State.DRAFT,
            number="1/BC-THCS",
            created_by=self.principals[first.pk],
        )
        submitted = self.now - datetime.timedelta(days=3)
        reports = SchoolReport.objects.bulk_create(
            [
                SchoolReport(
                    school=school,
                    period=year,
                    state=rng.choice([SchoolReport.State.SUBMITTED, SchoolReport.State.ACCEPTED]),
                    number=f"{n + 1}/BC",
                    went_well="Nhà trường duy trì phòng tư vấn (minh họa).",
                    difficulties="Thiếu cán bộ chuyên trách (minh họa).",
                    proposals="Đề nghị tập huấn thêm (minh họa).",
                    version=1,
                    submitted_at=submitted,
                )
                for n, school in enumerate(self.district_schools[1:])
            ]
        )
        SchoolReportVersion.objects.bulk_create(
            [
                SchoolReportVersion(
                    report=report,
                    version=1,
                    figures={
                        **_scaled(base, rng.uniform(0.5, 1.5)),
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
        self.period = year
        self.step(f"reports: {len(reports) + 1} for {year}")

    # Audit

    def audit(self) -> None:
        """``audit`` entries, chained with the audit app's own digest, written with COPY."""
        from django.db import connection

        from audit.keys import current_key, keyed_digest
        from audit.log import GENESIS, HASHED_COLUMNS, hashed_values
        from audit.models import AuditEntry
        from forms_app.models import Case

        rng = self.rng
        count = self.counts["audit"]
        by_school: dict[int, list[tuple[int, str]]] = {}
        for pk, school_id, reference in Case.objects.values_list("pk", "school_id", "reference"):
            by_school.setdefault(school_id, []).append((pk, reference))
        schools = [s for s in self.schools if s.pk in by_school] or self.schools
        key_id, key = current_key()
        last = AuditEntry.objects.order_by("-pk").values_list("entry_hash", flat=True).first()
        prev = last or GENESIS
        span = datetime.timedelta(days=365)
        start = self.now - span
        step = span / max(1, count)
        actions = [
            ("view", "case", 55),
            ("view", "list", 15),
            ("print", "intake", 5),
            ("pdf", "plan", 5),
            ("search", "list", 5),
            ("create", "case", 5),
            ("change", "case", 10),
        ]
        kinds = [(a, t) for a, t, _w in actions]
        weights = [w for _a, _t, w in actions]
        # The chained columns in the order hashed_values takes them, then the links.
        columns = (*HASHED_COLUMNS, "prev_hash", "entry_hash")
        sql = f"COPY audit_auditentry ({', '.join(columns)}) FROM STDIN"
        rows = []
        for n in range(count):
            at = start + step * n
            at = at.replace(microsecond=at.microsecond)  # stored to the microsecond
            school = schools[rng.randrange(len(schools))]
            actor = (self.workers if rng.random() < 0.8 else self.principals)[school.pk]
            action, target = rng.choices(kinds, weights)[0]
            case_pk, reference, detail = None, "", ""
            if target == "list":
                target, detail = "list", f"results: {rng.randint(0, 50)}"
            else:
                case_pk, reference = rng.choice(by_school.get(school.pk) or [(None, "")])
                target = f"{target}:{case_pk}" if case_pk else target
            ip = f"10.{school.pk % 250}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
            fields = (
                at,
                actor.pk,
                actor.username,
                school.pk,
                case_pk,
                reference,
                action,
                target,
                detail,
                ip,
                key_id,
            )
            values = hashed_values(at.astimezone(datetime.UTC), *fields[1:])
            digest = keyed_digest(key, prev, values)
            rows.append((*fields, prev, digest))
            prev = digest
            if len(rows) >= AUDIT_BATCH or n == count - 1:
                with connection.cursor() as cursor, cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row)
                rows = []
                if (n + 1) % 100_000 == 0 or n == count - 1:
                    self.step(f"audit: {n + 1} of {count}")

    # Manifest

    def manifest(self) -> dict[str, Any]:
        from django.urls import reverse

        from pages.models import CampaignPage, PlanPage

        first = self.schools[0]
        host = f"{first.code.lower()}.{DOMAIN}"
        home = self.homes[0]
        plan_index = self.indexes["plans"][0]
        plan = PlanPage.objects.child_of(plan_index).order_by("-pk").first()
        campaign = CampaignPage.objects.descendant_of(home).order_by("-pk").first()

        def local(page) -> str:
            return "/" + page.url_path[len(home.url_path) :]

        public = [
            {"name": "Home page", "host": host, "path": "/"},
            {
                "name": "Plan index, filtered",
                "host": host,
                "path": local(plan_index) + f"?year={plan.period_start_year}&kind={plan.kind}",
            },
            {"name": "Plan page", "host": host, "path": local(plan)},
            {"name": "Campaign page", "host": host, "path": local(campaign)},
            {"name": "Search", "host": host, "path": _search(SEARCH_COMMON)},
            {"name": "404 page", "host": host, "path": NOT_FOUND_PATH},
        ]
        place = first.place_name
        search = [
            {"name": "common word, one school", "host": host, "path": _search(SEARCH_COMMON)},
            {
                "name": "no diacritics, whole province",
                "host": PROVINCE_HOST,
                "path": _search(SEARCH_FOLDED),
            },
            {
                "name": "diacritics, whole province",
                "host": PROVINCE_HOST,
                "path": _search(SEARCH_DIACRITICS),
            },
            {
                "name": "rare word, whole province",
                "host": PROVINCE_HOST,
                "path": _search(RARE_WORD),
            },
            {"name": "place name, whole province", "host": PROVINCE_HOST, "path": _search(place)},
            {
                "name": "one school from the province site",
                "host": PROVINCE_HOST,
                "path": _search(SEARCH_FOLDED) + f"&school={first.code}",
            },
            {
                "name": "deep page, whole province",
                "host": PROVINCE_HOST,
                "path": _search(SEARCH_COMMON) + "&page=20",
            },
            {
                "name": "no result, whole province",
                "host": PROVINCE_HOST,
                "path": _search(SEARCH_NONE),
            },
        ]
        admin_pages = [
            {
                "name": "Admin case list (case worker)",
                "path": reverse("forms_app_case_modeladmin_index"),
                "user": "worker",
            },
            {"name": "To-do", "path": reverse("forms_app:todo"), "user": "worker"},
            {"name": "To-do (principal)", "path": reverse("forms_app:todo"), "user": "principal"},
            {"name": "Triage queue", "path": TRIAGE_QUEUE_PATH, "user": "worker"},
            {
                "name": "Year report",
                "path": reverse("reports:detail", args=[self.year_report.pk]),
                "user": "principal",
            },
            {
                "name": "District overview",
                "path": f"{OVERVIEW_PATH}?period={self.period.pk}",
                "user": "officer",
            },
        ]
        hosts = [PROVINCE_HOST] + [f"{s.code.lower()}.{DOMAIN}" for s in self.schools]
        return {
            "scale": self.scale_name,
            "counts": db_counts(),
            "requested": self.counts,
            "built_seconds": round(time.monotonic() - self.started, 1),
            "hosts": hosts,
            "province_host": PROVINCE_HOST,
            "public": public,
            "search": search,
            "admin": {
                "host": host,
                "users": {
                    "worker": _account(WORKER_USERNAME, WORKER_TOTP_HEX),
                    "principal": _account(PRINCIPAL_USERNAME, PRINCIPAL_TOTP_HEX),
                    "officer": _account(OFFICER_USERNAME, OFFICER_TOTP_HEX),
                },
                "pages": admin_pages,
                "school_code": first.code,
            },
            "keys": str(ROOT / "var" / "bench" / "keys.json"),
        }

    scale_name = "custom"


AUDIENCE_CODES: set[str] = set()


def clone_cases(schools: list, workers: dict, principals: dict, count: int) -> None:
    """Add ``count`` cases copied from those in the database, with all their rows.

    Copy ``k`` of a case goes to the school ``k`` places after its own, so every
    school gets copies of cases from many others; its references continue each
    school's numbering per year, and the original school's case worker and
    principal become the new school's wherever they appear (author, actor,
    decider). Written with ``INSERT … SELECT`` joined to a map of old and new ids.
    """
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Max

    from forms_app.models import (
        Assessment,
        Case,
        CaseEvent,
        IntakeReport,
        InterventionPlan,
        Referral,
        Review,
    )

    User = get_user_model()
    originals = list(
        Case.objects.order_by("pk").values_list("pk", "school_id", "year", "received_at")
    )
    position = {school.pk: i for i, school in enumerate(schools)}
    wanted = []
    for j in range(count):
        pk, school_id, year, received = originals[j % len(originals)]
        copy = j // len(originals) + 1
        target = schools[(position[school_id] + copy) % len(schools)]
        wanted.append((received, pk, school_id, year, target))
    wanted.sort(key=lambda row: (row[0], row[1]))
    sequences = {
        (row["school"], row["year"]): row["last"]
        for row in Case.objects.values("school", "year").annotate(last=Max("sequence"))
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM forms_app_case")
        next_id = cursor.fetchone()[0]
        cursor.execute(
            "CREATE TEMP TABLE province_clone (old_id bigint, new_id bigint, new_school bigint, "
            "seq integer, reference text, old_worker bigint, old_principal bigint, "
            "new_worker bigint, new_principal bigint) ON COMMIT DROP"
        )
        with cursor.copy("COPY province_clone FROM STDIN") as copy:
            for _received, pk, school_id, year, school in wanted:
                next_id += 1
                key = (school.pk, year)
                sequences[key] = sequences.get(key, 0) + 1
                copy.write_row(
                    (
                        pk,
                        next_id,
                        school.pk,
                        sequences[key],
                        f"{school.code}-{year}-{sequences[key]:04d}",
                        workers[school_id].pk,
                        principals[school_id].pk,
                        workers[school.pk].pk,
                        principals[school.pk].pk,
                    )
                )
        cursor.execute("CREATE INDEX ON province_clone (old_id)")
        cursor.execute("CREATE INDEX ON province_clone (new_id)")
        cursor.execute("ANALYZE province_clone")

        def user(column: str) -> str:
            return (
                f"CASE WHEN t.{column} = m.old_worker THEN m.new_worker "
                f"WHEN t.{column} = m.old_principal THEN m.new_principal ELSE t.{column} END"
            )

        def insert(model, special: dict[str, str], joins: str, keep_id: bool = False) -> None:
            columns, values = [], []
            for field in model._meta.local_concrete_fields:
                if field.primary_key and not keep_id:
                    continue
                column = field.column
                columns.append(column)
                if column in special:
                    values.append(special[column])
                elif field.is_relation and field.related_model is User:
                    values.append(user(column))
                else:
                    values.append(f"t.{column}")
            table = model._meta.db_table
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"SELECT {', '.join(values)} FROM {table} t {joins}"
            )

        insert(
            Case,
            {
                "id": "m.new_id",
                "school_id": "m.new_school",
                "sequence": "m.seq",
                "reference": "m.reference",
            },
            "JOIN province_clone m ON t.id = m.old_id",
            keep_id=True,
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('forms_app_case', 'id'), "
            "(SELECT MAX(id) FROM forms_app_case))"
        )
        through = Case.categories.through
        cursor.execute(
            f"INSERT INTO {through._meta.db_table} (case_id, issuecategory_id) "
            f"SELECT m.new_id, t.issuecategory_id FROM {through._meta.db_table} t "
            "JOIN province_clone m ON t.case_id = m.old_id"
        )
        plans = InterventionPlan._meta.db_table
        cursor.execute(
            "CREATE TEMP TABLE province_plan_clone ON COMMIT DROP AS "
            f"SELECT t.id AS old_plan, m.new_id AS new_case, "
            f"nextval(pg_get_serial_sequence('{plans}', 'id')) AS new_plan "
            f"FROM {plans} t JOIN province_clone m ON t.case_id = m.old_id"
        )
        cursor.execute("CREATE INDEX ON province_plan_clone (old_plan, new_case)")
        cursor.execute("ANALYZE province_plan_clone")
        insert(
            InterventionPlan,
            {"id": "p.new_plan", "case_id": "m.new_id"},
            "JOIN province_plan_clone p ON p.old_plan = t.id "
            "JOIN province_clone m ON m.new_id = p.new_case AND m.old_id = t.case_id",
            keep_id=True,
        )
        insert(
            Review,
            {"case_id": "m.new_id", "plan_id": "p.new_plan"},
            "JOIN province_clone m ON t.case_id = m.old_id "
            "JOIN province_plan_clone p ON p.old_plan = t.plan_id AND p.new_case = m.new_id",
        )
        for model in (IntakeReport, Assessment, Referral, CaseEvent):
            insert(model, {"case_id": "m.new_id"}, "JOIN province_clone m ON t.case_id = m.old_id")


class _Owner:
    """What ``bench.dataset._make_images`` reads of a school: its collection and code."""

    def __init__(self, collection, code: str) -> None:
        self.collection = collection
        self.code = code


def _account(username: str, totp_hex: str) -> dict[str, str]:
    return {"username": username, "password": BENCH_PASSWORD, "totp_key_hex": totp_hex}


def _search(words: str) -> str:
    from urllib.parse import urlencode

    return f"{SEARCH_PATH}?{urlencode({'q': words})}"


def _aware(value: datetime.datetime) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(value)


class _encrypt_each_plaintext_once:
    """Within the build, encrypt each distinct plaintext once and reuse its token.

    Fernet tokens differ per call (a random IV), so reuse shows two equal cells as
    equal; in generated data that only says the generator repeats itself. Decryption
    and key rotation see ordinary tokens.
    """

    def __enter__(self):
        import forms_app.fields as fields

        self.fields = fields
        self.original = fields.encrypt_text
        cache: dict[str, str] = {}
        original = self.original

        def encrypt_text(value: str) -> str:
            token = cache.get(value)
            if token is None:
                token = cache[value] = original(value)
            return token

        fields.encrypt_text = encrypt_text
        return self

    def __exit__(self, *exc) -> None:
        self.fields.encrypt_text = self.original


_VECTOR_FUNCTION = """
CREATE OR REPLACE FUNCTION pg_temp.province_vector(texts text[], weights text[], config regconfig)
RETURNS tsvector LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    vector tsvector := to_tsvector(config, '');
BEGIN
    FOR i IN 1 .. coalesce(cardinality(texts), 0) LOOP
        vector := vector || setweight(to_tsvector(config, texts[i]), weights[i]::"char");
    END LOOP;
    RETURN vector;
END $$
"""


def write_search_index(models_and_ids: list[tuple[type, list[int]]], batch: int = 1000) -> None:
    """Write the search index entries of these objects as the PostgreSQL backend's
    ``add_items`` would, with its own ``ObjectIndexer`` reading each object once.

    The backend asks every field of an object five times (title, body, autocomplete
    and their plain texts), compiles a Django expression per text and, after each
    batch, recomputes every title's norm over the whole table; that is fine a page
    at a time and quadratic for 100,000. Here each object's weighted texts are read
    once and copied to the database, which builds the same vectors
    (``setweight(to_tsvector(config, text), weight)`` joined with ``||``, in field
    order), and the norms are set once at the end. Elsewhere than PostgreSQL, the
    backend's own ``add_bulk``.
    """
    from django.db import connection
    from modelsearch.backends import get_search_backend
    from modelsearch.backends.database.postgres.postgres import IndexEntry
    from modelsearch.utils import get_content_type_pk

    backend = get_search_backend()
    if connection.vendor != "postgresql":
        from bench import dataset

        dataset._index_pages(models_and_ids)
        return
    with connection.cursor() as cursor:
        cursor.execute(_VECTOR_FUNCTION)
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS province_index (content_type_id integer, "
            "object_id text, title_t text[], title_w text[], auto_t text[], auto_w text[], "
            "body_t text[], body_w text[], title_text text, body_text text) ON COMMIT DROP"
        )
        cursor.execute("TRUNCATE province_index")
        for model, ids in models_and_ids:
            content_type = get_content_type_pk(model)
            related = [name for name in ("topics", "audiences") if hasattr(model, name)]
            for start in range(0, len(ids), batch):
                objs = model.objects.filter(pk__in=ids[start : start + batch])
                # Read everything first: no query may run on the connection during COPY.
                rows = [
                    _index_row(obj, backend, content_type)
                    for obj in objs.prefetch_related(*related)
                ]
                with cursor.copy("COPY province_index FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        table = IndexEntry._meta.db_table
        cursor.execute(
            f"INSERT INTO {table} (content_type_id, object_id, title, autocomplete, body, "
            "title_norm, title_text, body_text) "
            "SELECT content_type_id, object_id, "
            "pg_temp.province_vector(title_t, title_w, %s::regconfig), "
            "pg_temp.province_vector(auto_t, auto_w, %s::regconfig), "
            "pg_temp.province_vector(body_t, body_w, %s::regconfig), "
            "1.0, title_text, body_text FROM province_index "
            "ON CONFLICT (content_type_id, object_id) DO UPDATE SET title = EXCLUDED.title, "
            "title_norm = 1.0, autocomplete = EXCLUDED.autocomplete, body = EXCLUDED.body, "
            "title_text = EXCLUDED.title_text, body_text = EXCLUDED.body_text",
            [backend.config or "simple", backend.autocomplete_config, backend.config or "simple"],
        )
        cursor.execute("TRUNCATE province_index")
    backend.get_index_for_model(models_and_ids[0][0])._refresh_title_norms()


def _index_row(obj, backend, content_type: int) -> list:
    """One object's weighted texts as ``ObjectIndexer`` reads them, in field order."""
    from modelsearch.backends.database.postgres.postgres import ObjectIndexer
    from modelsearch.index import AutocompleteField, SearchField

    indexer = ObjectIndexer(obj, backend)
    title, body, auto = [], [], []
    for field in indexer.search_fields:
        for current, weight, value in indexer.prepare_field(obj, field):
            if isinstance(current, SearchField):
                wanted = title if current.field_name == "title" else body
            elif isinstance(current, AutocompleteField):
                wanted = auto
            else:
                continue
            wanted.append((value.strip(), weight))
    row = [content_type, str(obj.pk)]
    for texts in (title, auto, body):
        kept = [(text, weight) for text, weight in texts if text]
        row += [[t for t, _w in kept], [w for _t, w in kept]]
    row += [" ".join(t for t, _w in title if t), " ".join(t for t, _w in body if t)]
    return row


class _same_text_once:
    """Within the build, index each page with the text it would be indexed with, computed once.

    The search backend asks each search field of a page for its value several times
    (title, body, autocomplete), and every page folds and strips the same
    paragraphs again. These stand-ins give the same results: a field's value is
    kept on the page object for the batch, rich text is stripped once per distinct
    source, and ``pages.text.fold`` is applied word by word with each distinct word
    folded once (it maps characters one by one, so the result is the same).
    """

    FOLD_USERS = (
        "pages.models.base",
        "pages.models.plans",
        "pages.models.media",
        "pages.models.taxonomy",
    )

    def __enter__(self):
        import functools
        import importlib
        import re

        import modelsearch.index as search_index
        import wagtail.blocks.field_block as field_block

        from pages import text

        self.saved = []

        def patch(owner, name, value) -> None:
            self.saved.append((owner, name, getattr(owner, name)))
            setattr(owner, name, value)

        patch(
            field_block,
            "get_text_for_indexing",
            functools.lru_cache(maxsize=200_000)(field_block.get_text_for_indexing),
        )
        word_fold = functools.lru_cache(maxsize=500_000)(text.fold)
        spaces = re.compile(r"(\s+)")

        def fold(value: str | None) -> str:
            if not value:
                return text.fold(value)
            return "".join(
                part if i % 2 else word_fold(part) for i, part in enumerate(spaces.split(value))
            )

        for name in self.FOLD_USERS:
            patch(importlib.import_module(name), "fold", fold)
        original = search_index.SearchField.get_value

        def get_value(field, obj):
            memo = obj.__dict__.setdefault("_province_search_values", {})
            key = field.field_name
            if key not in memo:
                memo[key] = original(field, obj)
            return memo[key]

        patch(search_index.SearchField, "get_value", get_value)
        return self

    def __exit__(self, *exc) -> None:
        for owner, name, value in reversed(self.saved):
            setattr(owner, name, value)


def db_counts() -> dict[str, int]:
    """What the database holds, for the manifest and the test."""
    from django.contrib.auth import get_user_model
    from wagtail.models import Page, Site

    from audit.models import AuditEntry
    from concerns.models import Concern
    from forms_app.models import Assessment, Case, IntakeReport, InterventionPlan, Referral, Review
    from pages.models import CampaignPage, Hotline, MaterialPage, PlanPage
    from schools.models import School

    records = (IntakeReport, Assessment, InterventionPlan, Review, Referral)
    plans, campaigns = PlanPage.objects.count(), CampaignPage.objects.count()
    materials = MaterialPage.objects.count()
    return {
        "schools": School.objects.count(),
        "sites": Site.objects.count(),
        "pages": plans + campaigns + materials,
        "plans": plans,
        "campaigns": campaigns,
        "materials": materials,
        "all_pages": Page.objects.count(),
        "hotlines": Hotline.objects.count(),
        "cases": Case.objects.count(),
        "records": sum(model.objects.count() for model in records),
        "concerns": Concern.objects.count(),
        "audit": AuditEntry.objects.count(),
        "users": get_user_model().objects.count(),
    }


def build(scale: str | Mapping[str, int] = "small", log: Callable[[str], None] = say) -> dict:
    """Fill the migrated, empty database (Django set up) and return the manifest."""
    from pages.models import Audience

    AUDIENCE_CODES.clear()
    AUDIENCE_CODES.update(Audience.objects.values_list("code", flat=True))
    builder = ProvinceBuilder(counts_for(scale), log)
    builder.scale_name = scale if isinstance(scale, str) else "custom"
    return builder.build()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--manifest", required=True, type=Path)
    parser.add_argument("--rebuild", action="store_true", help="drop and create the database")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=N",
        help=f"change one count of the scale ({', '.join(COUNT_KEYS)}), e.g. --set pages=2000",
    )
    args = parser.parse_args(argv)
    scale: str | dict[str, int] = args.scale
    if args.set:
        scale = counts_for(args.scale)
        for item in args.set:
            key, _, value = item.partition("=")
            if key not in COUNT_KEYS:
                parser.error(f"unknown count {key!r}")
            scale[key] = int(value)
    started = time.monotonic()
    ensure_database(args.database_url, rebuild=args.rebuild)
    configure(args.database_url)
    from django.core.management import call_command

    from schools.models import School

    call_command("migrate", interactive=False, verbosity=0)
    say(f"migrated ({time.monotonic() - started:.1f} s)")
    if School.objects.exists():
        say("The database already holds schools: use --rebuild to build it again.")
        return 2
    keep_template(args.database_url)
    manifest = build(scale)
    # Statistics for the planner, and the visibility map, which a bulk load leaves
    # empty until autovacuum comes by: without it PostgreSQL visits the table for
    # every row an index finds, where a running site's would not.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    say(f"vacuumed and analysed ({time.monotonic() - started:.1f} s)")
    manifest["database_url"] = args.database_url
    manifest["built_seconds"] = round(time.monotonic() - started, 1)
    args.manifest.parent.mkdir(parents=True, exist_ok=True)
    args.manifest.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    say(f"manifest written to {args.manifest} ({manifest['built_seconds']} s in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
