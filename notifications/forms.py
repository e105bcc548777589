from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import EmailChoice, NotificationPreference


class PreferenceForm(forms.ModelForm):
    """The one choice a user makes: how alerts reach them by e-mail."""

    email = forms.ChoiceField(
        label=_("E-mail me about my alerts"),
        choices=EmailChoice.choices,
        widget=forms.RadioSelect,
        help_text=_("Urgent alerts (a child in danger now) are always e-mailed at once."),
    )

    class Meta:
        model = NotificationPreference
        fields = ["email"]
