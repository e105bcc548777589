from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save, pre_save
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    """The public site: the page tree each school and district publishes."""

    name = "pages"
    verbose_name = _("Public site")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db import models
        from wagtail.admin.forms.models import register_form_field_override
        from wagtail.signals import page_published

        from pages import sanitise, signals
        from pages.models import Audience, CampaignPage, MaterialPage, PlanPage, Topic
        from pages.widgets import VietnameseSlugInput
        from schools.models import School

        # The schools app is ready first, so its receivers (the role groups these
        # rely on) run before ours for the same signal.
        post_migrate.connect(
            signals.sync_workflows_after_migrate, sender=self, dispatch_uid="pages.workflows"
        )
        post_save.connect(signals.school_saved, sender=School, dispatch_uid="pages.school_saved")
        for tagged in (PlanPage, CampaignPage, MaterialPage):
            page_published.connect(
                signals.index_tags_after_publish,
                sender=tagged,
                dispatch_uid=f"pages.index_tags.{tagged.__name__}",
            )
        for tag in (Topic, Audience):
            post_save.connect(signals.tag_renamed, sender=tag, dispatch_uid=f"pages.{tag.__name__}")
        page_published.connect(
            signals.plan_published, sender=PlanPage, dispatch_uid="pages.plan_published"
        )
        # Rich text from anywhere but the editor is cut to the editor's vocabulary.
        pre_save.connect(sanitise.clean_rich_text_before_save, dispatch_uid="pages.sanitise")
        # Replaces Wagtail's own registration for slugs (wagtail.admin.forms.models).
        register_form_field_override(models.SlugField, override={"widget": VietnameseSlugInput})
