"""Keep role groups in step with schools and memberships."""

from django.apps import AppConfig, apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from schools.models import Membership, School
from schools.roles import sync_role_groups, sync_school_groups, sync_user_groups


def sync_roles_after_migrate(sender: AppConfig, using: str = "default", **kwargs) -> None:
    """Write the role matrix after every ``migrate`` (and every test-database flush).

    Django creates permissions per app in INSTALLED_APPS order, after this app's
    turn; create them all first so the matrix can refer to any app's permissions.
    """
    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0, using=using)
        create_permissions(app_config, verbosity=0, using=using)
    sync_role_groups()
    for school in School.objects.all():
        sync_school_groups(school)


@receiver(post_save, sender=School)
def school_saved(sender: type[School], instance: School, raw: bool = False, **kwargs) -> None:
    if not raw:
        sync_school_groups(instance)


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def membership_changed(sender: type[Membership], instance: Membership, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    sync_user_groups(instance.user)
