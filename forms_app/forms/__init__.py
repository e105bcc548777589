"""Step forms of the case templates' wizards (Mẫu 01–04): what every step form shares.

Each template's steps live in their own module (``intake`` for Mẫu 01).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

YES, NO = "yes", "no"
YES_NO = [(YES, _("Yes")), (NO, _("No"))]


class StepForm(forms.Form):
    """One step of a wizard, with the title shown in the progress list and as heading.

    ``fieldsets`` groups fields under a legend (``None`` for no legend); the step
    template shows the fields in order when it is empty.
    """

    title = ""
    fieldsets: list = []

    def get_fieldsets(self) -> list[tuple[str | None, list[forms.BoundField]]]:
        """Override to group fields differently; the default reads ``fieldsets``."""
        if not self.fieldsets:
            return [(None, list(self))]
        return [(legend, [self[name] for name in names]) for legend, names in self.fieldsets]


def yes_no_field(label, **kwargs) -> forms.TypedChoiceField:
    """A required yes/no question as radio buttons, cleaned to a bool.

    Radio buttons rather than a checkbox, so "no" is an answer given, not a box
    left unticked.
    """
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == YES,
        widget=forms.RadioSelect,
        **kwargs,
    )


class DateInput(forms.DateInput):
    """The browser's own date picker: accessible, and needs no script."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    """The browser's own time picker, in 24-hour ``HH:MM``."""

    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


__all__ = ["NO", "YES", "YES_NO", "DateInput", "StepForm", "TimeInput", "yes_no_field"]
