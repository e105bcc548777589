"""Forms the project supplies to Wagtail."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    """Wagtail's sign-in form with a translatable label on the password field.

    Wagtail declares the field without a label, so Django shows the untranslatable
    "Password" made from the field name, in English on a Vietnamese screen.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")
