from django.core.management.base import BaseCommand

from schools.models import Membership, School
from schools.roles import sync_role_groups, sync_school_groups, sync_user_groups


class Command(BaseCommand):
    help = "Create or update the staff role groups and their permissions (idempotent)."

    def handle(self, *args, **options) -> None:
        groups = sync_role_groups()
        for school in School.objects.all():
            groups += sync_school_groups(school)
        users = {m.user for m in Membership.objects.select_related("user")}
        for user in users:
            sync_user_groups(user)
        self.stdout.write(
            f"{len(groups)} role groups in step; {len(users)} staff accounts checked."
        )
