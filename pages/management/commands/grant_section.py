"""Give a group page rights on one section of the site, e.g. the Youth Union on its campaigns."""

from argparse import ArgumentParser

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import GroupPagePermission, Page, Site

from schools.roles import ACCESS_ADMIN

# Wagtail's page permission types, as the admin's group screen offers them.
PAGE_PERMISSION_TYPES = ("add", "change", "publish", "lock", "unlock", "bulk_delete")


def parse_permissions(value: str) -> list[str]:
    """Split "add,change" into permission types, refusing unknown or empty ones."""
    kinds = [part.strip() for part in value.split(",") if part.strip()]
    if not kinds:
        raise CommandError(
            _("Give at least one permission: %(allowed)s.")
            % {"allowed": ", ".join(PAGE_PERMISSION_TYPES)}
        )
    unknown = [kind for kind in kinds if kind not in PAGE_PERMISSION_TYPES]
    if unknown:
        raise CommandError(
            _("Unknown permission %(unknown)s; choose from %(allowed)s.")
            % {"unknown": ", ".join(unknown), "allowed": ", ".join(PAGE_PERMISSION_TYPES)}
        )
    return list(dict.fromkeys(kinds))


def find_page(reference: str) -> Page:
    """The page with this id, or this url_path ("/portal/school/section/").

    A path is also tried below the default site's root, so the path a visitor
    sees ("/thcs-hoa-ban/chien-dich/") works as well as Wagtail's full url_path.
    """
    reference = reference.strip()
    if reference.isdigit():
        page = Page.objects.filter(pk=int(reference)).first()
        if page is None:
            raise CommandError(_("No page has the id %(id)s.") % {"id": reference})
        return page

    path = "/" + reference.strip("/") + "/" if reference.strip("/") else "/"
    candidates = [path]
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None:
        candidates.append(site.root_page.url_path.rstrip("/") + path)
    for candidate in candidates:
        page = Page.objects.filter(url_path=candidate).first()
        if page is not None:
            return page
    raise CommandError(
        _(
            "No page has the path %(path)s. Give its path on the site, or its id "
            "(the number in the admin's address when editing it)."
        )
        % {"path": path}
    )


class Command(BaseCommand):
    help = (
        "Grant a group page permissions on one page and everything below it "
        "(idempotent); creates the group if it does not exist."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--group", required=True, help='Group name, e.g. "Đoàn Đội · HB".')
        parser.add_argument("--page", required=True, help="Page id or url_path of the section.")
        parser.add_argument(
            "--perms",
            required=True,
            help=f"Comma-separated, from: {','.join(PAGE_PERMISSION_TYPES)}.",
        )

    @transaction.atomic
    def handle(self, *args, group: str, page: str, perms: str, **options) -> None:
        kinds = parse_permissions(perms)
        section = find_page(page)
        name = group.strip()
        if not name:
            raise CommandError(_("The group name cannot be empty."))

        target, created = Group.objects.get_or_create(name=name)
        if hasattr(target, "role_link"):
            # sync_school_groups rewrites these groups' page rights from the role matrix.
            raise CommandError(
                _(
                    "%(group)s is a role group managed from schools/roles.py and its page "
                    "rights are rewritten on every sync; use a group of its own."
                )
                % {"group": name}
            )
        # Page rights are of no use to someone who cannot enter the admin.
        app_label, codename = ACCESS_ADMIN.split(".")
        target.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )

        added = []
        for kind in kinds:
            permission = Permission.objects.get(
                content_type__app_label="wagtailcore",
                content_type__model="page",
                codename=f"{kind}_page",
            )
            _link, new = GroupPagePermission.objects.get_or_create(
                group=target, page=section, permission=permission
            )
            if new:
                added.append(kind)

        if created:
            self.stdout.write(_("Created group %(group)s.") % {"group": name})
        if added:
            message = _(
                "Granted %(perms)s to %(group)s on %(page)s (%(path)s) and the pages below it."
            )
            self.stdout.write(
                self.style.SUCCESS(
                    message
                    % {
                        "group": name,
                        "perms": ", ".join(added),
                        "page": section.title,
                        "path": section.url_path,
                    }
                )
            )
        else:
            self.stdout.write(
                _("%(group)s already had these rights on %(page)s; nothing changed.")
                % {"group": name, "page": section.title}
            )
