"""The six staff roles and the permissions each one carries.

Roles are defined here, in code, and written to Django groups by
:func:`sync_role_groups` after every migration, so that every installation has the
same, reviewable permission matrix. A membership (user, school, role) puts the
user into two groups: the role's global group, which holds model permissions,
and the role's group for that school, which holds page and collection
permissions on that school's part of the site only.
"""

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    EDITOR = "editor", _("Editor")
    PRINCIPAL = "principal", _("Principal")
    CASE_WORKER = "case_worker", _("Social-work officer / counselling team")
    DISTRICT_OFFICER = "district_officer", _("District education officer")
    ADMINISTRATOR = "administrator", _("Administrator")
    # Homeroom teachers, the school nurse, the guard: they raise concerns and read
    # back only their status (concerns.policy), nothing of the public site or cases.
    STAFF = "staff", _("Teacher or staff member")


# Group names are data shown to Vietnamese administrators, not interface text:
# they stay Vietnamese whatever the admin's language.
GROUP_NAMES: dict[str, str] = {
    Role.EDITOR: "Biên tập viên",
    Role.PRINCIPAL: "Ban giám hiệu / Hiệu trưởng",
    Role.CASE_WORKER: "Cán bộ CTXH / Tổ tư vấn",
    Role.DISTRICT_OFFICER: "Cán bộ Phòng GD&ĐT",
    Role.ADMINISTRATOR: "Quản trị",
    Role.STAFF: "Giáo viên / nhân viên",
}

ACCESS_ADMIN = "wagtailadmin.access_admin"

# The case area (forms_app). Model permissions say what kind of thing a role works
# with; which cases a user may read is decided per school by forms_app.cases.policy,
# so a superuser or an administrator without a case role at a school reads none.
CASE_PERMISSIONS = frozenset(
    {
        "forms_app.view_case",
        "forms_app.add_case",
        "forms_app.change_case",
        "forms_app.view_caseevent",
        "forms_app.view_intakereport",
        "forms_app.view_assessment",
        "forms_app.view_interventionplan",
        "forms_app.view_review",
        "forms_app.view_referral",
    }
)

# Lists a school keeps for itself: where its cases are referred and its working
# calendar. The shared lists (issue categories, rating criteria, need domains,
# activity partners) follow the circulars for every school at once, so only the
# deployment's operators (superusers) change them.
CASE_REFERENCE_PERMISSIONS = frozenset(
    f"forms_app.{action}_{model}"
    for action in ("add", "change")
    for model in ("receivingbody", "schoolcalendar")
)

# Model permissions held through the role's global group ("app_label.codename").
MODEL_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.EDITOR: frozenset({ACCESS_ADMIN}),
    Role.PRINCIPAL: frozenset({ACCESS_ADMIN, *CASE_PERMISSIONS}),
    Role.CASE_WORKER: frozenset({ACCESS_ADMIN, *CASE_PERMISSIONS}),
    # Aggregate figures only: nothing here opens a child's record.
    Role.DISTRICT_OFFICER: frozenset({ACCESS_ADMIN}),
    # The admin's door only: the concern form and "my concerns" ask concerns.policy,
    # which reads memberships, not model permissions.
    Role.STAFF: frozenset({ACCESS_ADMIN}),
    # A school's administrator keeps the school's own things in order, and only its
    # own (schools.tenancy scopes every list and object to their schools).
    # Deployment-wide things (districts, sites and their redirects, topics,
    # audiences, national lines, shared lists) are the operators' (superusers').
    Role.ADMINISTRATOR: frozenset(
        {
            ACCESS_ADMIN,
            "auth.add_user",
            "auth.change_user",
            "auth.delete_user",
            "auth.view_user",
            "schools.change_school",
            "schools.view_school",
            "pages.add_hotline",
            "pages.change_hotline",
            "pages.delete_hotline",
            # Case reference lists of the school, but no case: the administrator
            # reads no child's record.
            *CASE_REFERENCE_PERMISSIONS,
        }
    ),
}

# Page permissions (codename prefixes of wagtailcore.Page) on the school's root page.
# Editors cannot publish: their changes go to the principal for review.
PAGE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.EDITOR: frozenset({"add", "change"}),
    Role.PRINCIPAL: frozenset({"add", "change", "publish", "lock", "unlock"}),
    Role.ADMINISTRATOR: frozenset({"add", "change", "publish", "lock", "unlock", "bulk_delete"}),
}

# Image and document permissions on the school's own collection.
COLLECTION_PERMISSIONS: dict[str, frozenset[str]] = {
    role: frozenset(
        {
            "wagtailimages.add_image",
            "wagtailimages.change_image",
            "wagtailimages.choose_image",
            "wagtaildocs.add_document",
            "wagtaildocs.change_document",
            "wagtaildocs.choose_document",
        }
    )
    for role in (Role.EDITOR, Role.PRINCIPAL, Role.ADMINISTRATOR)
}


def _permissions(names: Iterable[str]) -> list[Permission]:
    """Look up permissions by "app_label.codename", failing loudly on a typo."""
    wanted = set(names)
    found = []
    for name in wanted:
        app_label, codename = name.split(".", 1)
        found.extend(
            Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        )
    found_names = {f"{p.content_type.app_label}.{p.codename}" for p in found}
    missing = wanted - found_names
    if missing:
        raise LookupError(f"Unknown permissions in the role matrix: {sorted(missing)}")
    return found


def school_group_name(role: str, school_code: str) -> str:
    """Name of the role's group for one school, e.g. "Biên tập viên · AL"."""
    return f"{GROUP_NAMES[role]} · {school_code}"


# Wagtail's page permissions are rows its migrations write in English ("Can add
# page", "Lock/unlock pages you've locked"), and the Groups screens show the rows as
# they are, out of any catalogue's reach. Like the group names, they are data shown
# to Vietnamese administrators.
PAGE_PERMISSION_NAMES: dict[str, str] = {
    "add_page": "Thêm trang",
    "change_page": "Sửa trang",
    "delete_page": "Xóa trang",
    "view_page": "Xem trang",
    "publish_page": "Xuất bản mọi trang",
    "bulk_delete_page": "Xóa trang cùng các trang con",
    "lock_page": "Khóa và mở khóa trang do chính mình khóa",
    "unlock_page": "Mở khóa mọi trang",
}


def name_page_permissions() -> None:
    for codename, name in PAGE_PERMISSION_NAMES.items():
        Permission.objects.filter(content_type__app_label="wagtailcore", codename=codename).exclude(
            name=name
        ).update(name=name)


@transaction.atomic
def sync_role_groups() -> list[Group]:
    """Create or update the global role groups, one per role; safe to run any number of times.

    Each group ends with exactly the permissions listed above, so a permission
    removed from this module is also removed from the database.
    """
    from schools.models import RoleGroup

    name_page_permissions()
    groups = []
    for role in Role.values:
        link = RoleGroup.objects.filter(role=role, school=None).select_related("group").first()
        if link is None:
            group, _created = Group.objects.get_or_create(name=GROUP_NAMES[role])
            RoleGroup.objects.create(role=role, school=None, group=group)
        else:
            group = link.group
            if group.name != GROUP_NAMES[role]:
                group.name = GROUP_NAMES[role]
                group.save(update_fields=["name"])
        group.permissions.set(_permissions(MODEL_PERMISSIONS[role]))
        groups.append(group)
    return groups


def _school_collection(school) -> "Collection":  # noqa: F821
    """Return the school's own image/document collection, creating it once."""
    from wagtail.models import Collection

    if school.collection_id is None:
        root = Collection.get_first_root_node() or Collection.add_root(name="Root")
        existing = root.get_children().filter(name=school.name).first()
        school.collection = existing or root.add_child(name=school.name)
        type(school).objects.filter(pk=school.pk).update(collection=school.collection)
    return school.collection


@transaction.atomic
def sync_school_groups(school) -> list[Group]:
    """Create or update the per-school role groups and their page/collection rights.

    Rights are granted on the school's root page, so an editor of one school can
    never touch another school's section of the tree.
    """
    from wagtail.models import GroupCollectionPermission, GroupPagePermission, Page

    from schools.models import RoleGroup

    page_perms = {
        p.codename: p
        for p in Permission.objects.filter(
            content_type__app_label="wagtailcore", content_type__model="page"
        )
    }
    collection = _school_collection(school)
    groups = []
    for role in set(PAGE_PERMISSIONS) | set(COLLECTION_PERMISSIONS):
        link = RoleGroup.objects.filter(role=role, school=school).select_related("group").first()
        name = school_group_name(role, school.code)
        if link is None:
            group, _created = Group.objects.get_or_create(name=name)
            RoleGroup.objects.create(role=role, school=school, group=group)
        else:
            group = link.group
            if group.name != name:
                group.name = name
                group.save(update_fields=["name"])

        GroupPagePermission.objects.filter(group=group).delete()
        if school.root_page_id and role in PAGE_PERMISSIONS:
            page = Page.objects.get(pk=school.root_page_id)
            GroupPagePermission.objects.bulk_create(
                GroupPagePermission(group=group, page=page, permission=page_perms[f"{kind}_page"])
                for kind in sorted(PAGE_PERMISSIONS[role])
            )

        GroupCollectionPermission.objects.filter(group=group).delete()
        if role in COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.bulk_create(
                GroupCollectionPermission(group=group, collection=collection, permission=perm)
                for perm in _permissions(COLLECTION_PERMISSIONS[role])
            )
        groups.append(group)
    return groups


@transaction.atomic
def sync_user_groups(user) -> None:
    """Put the user in exactly the role groups that their memberships call for.

    Groups not managed by roles (made by hand by an administrator) are left alone.
    """
    from schools.models import Membership, RoleGroup

    memberships = list(Membership.objects.filter(user=user).values_list("role", "school_id"))
    wanted_roles = {role for role, _school in memberships}
    links = RoleGroup.objects.all()
    managed = {link.group_id for link in links}
    wanted = {
        link.group_id
        for link in links
        if (link.school_id is None and link.role in wanted_roles)
        or (link.role, link.school_id) in set(memberships)
    }
    current = set(user.groups.values_list("pk", flat=True))
    user.groups.remove(*((current & managed) - wanted))
    user.groups.add(*(wanted - current))


_SCHOOL_ROLES_ATTR = "_school_roles_by_school"


def school_roles(user) -> dict[int, frozenset[str]]:
    """Every role ``user`` holds, per school id, read once per user object.

    The case area (who may open cases) and the audit (who may read it) both ask
    on every admin page; one read serves both. Kept on the user object, as
    Django's ModelBackend keeps permissions: a request's user is built once per
    request, so a long-lived user object whose memberships change must be
    fetched again.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return {}
    cached = getattr(user, _SCHOOL_ROLES_ATTR, None)
    if cached is None:
        from schools.models import Membership

        roles: dict[int, set[str]] = {}
        for school_id, role in Membership.objects.filter(user_id=user.pk).values_list(
            "school_id", "role"
        ):
            roles.setdefault(school_id, set()).add(role)
        cached = {school_id: frozenset(found) for school_id, found in roles.items()}
        setattr(user, _SCHOOL_ROLES_ATTR, cached)
    return cached


def is_staff_only(user) -> bool:
    """True for a teacher or other staff member who holds no other role anywhere.

    The case area answers such a user 404 rather than 403: for them it does not
    exist (issue 15: a teacher cannot list, search or open any case).
    """
    if user is None or not user.is_authenticated or user.is_superuser:
        return False
    held = set().union(*school_roles(user).values())
    return held == {Role.STAFF}
