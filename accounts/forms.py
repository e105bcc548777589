"""Forms of the sign-in steps."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """One code: six digits from the app or, where allowed, a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )

    def __init__(self, *args, numeric: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if numeric:
            self.fields["code"].widget.attrs.update({"inputmode": "numeric"})
            self.fields["code"].help_text = _("The six digits your authenticator app shows now.")
        else:
            self.fields["code"].help_text = _(
                "The six digits your authenticator app shows now, or one of your recovery codes."
            )


class UsernameForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)


class UnlockForm(forms.Form):
    """Which lock an administrator lifts: a username or an address."""

    kind = forms.ChoiceField(choices=[("username", "username"), ("ip", "ip")])
    value = forms.CharField(max_length=255)
