"""Labels that Wagtail 8.0 writes in English whatever the language.

Most of Wagtail's admin is translated through the override catalogue
(site/locale_overrides). A few labels never pass through gettext: form fields
declared without a label (Django makes one up from the field's name: "Email
address", "Body", "Page", "Task type") and table columns without one ("Site
name", "Root page", "Port"). The translation catalogue cannot reach them, so
they are given translatable labels here once, when the admin loads.
tests/admin_i18n finds them again if a Wagtail upgrade changes these forms.
"""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


def apply() -> None:
    from wagtail.admin.forms.choosers import (
        AnchorLinkChooserForm,
        EmailLinkChooserForm,
        ExternalLinkChooserForm,
        PhoneLinkChooserForm,
    )
    from wagtail.admin.forms.workflows import TaskChooserSearchForm, WorkflowPageForm
    from wagtail.models import Site
    from wagtail.sites.views import IndexView as SitesIndexView
    from wagtail.users.forms import PagePermissionsForm

    _label_fields(
        EmailLinkChooserForm,
        email_address=_("Email address"),
        link_text=_("Link text"),
        subject=_("Subject"),
        body=_("Body"),
    )
    _label_fields(PhoneLinkChooserForm, phone_number=_("Phone number"), link_text=_("Link text"))
    _label_fields(ExternalLinkChooserForm, link_text=_("Link text"))
    _label_fields(AnchorLinkChooserForm, link_text=_("Link text"))
    _label_fields(PagePermissionsForm, page=_("Page"))
    _label_fields(WorkflowPageForm, page=_("Page"))
    for column in SitesIndexView.columns:
        if column.name in ("port", "site_name", "root_page"):
            column.label = capfirst(Site._meta.get_field(column.name).verbose_name)
    _label_added_field(TaskChooserSearchForm, "task_type", _("Task type"))


def _label_fields(form_class, **labels) -> None:
    for name, label in labels.items():
        form_class.base_fields[name].label = label


def _label_added_field(form_class, name: str, label) -> None:
    """Label a field the form adds in ``__init__`` (it is not in ``base_fields``)."""
    original = form_class.__init__
    if getattr(original, "labels_field", None) == name:
        return

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if name in self.fields:
            self.fields[name].label = label

    __init__.labels_field = name
    form_class.__init__ = __init__
