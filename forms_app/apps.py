from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormsAppConfig(AppConfig):
    """The protected case area: cases and the four official templates (Mẫu 01–04).

    It may import ``schools``; nothing in ``pages`` may import it, so no public
    view, feed or search index can reach a child's record.
    """

    name = "forms_app"
    verbose_name = _("Case records")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from config.cache import cache_recovered
        from forms_app.admin.filters import (
            forget_category_choices,
            forget_category_choices_after_outage,
        )
        from forms_app.models import IssueCategory

        cache_recovered.connect(
            forget_category_choices_after_outage, dispatch_uid="forms_app.category_choices"
        )

        for signal in (post_save, post_delete):
            signal.connect(
                forget_category_choices,
                sender=IssueCategory,
                dispatch_uid=f"forms_app.category_choices.{signal is post_save}",
            )
