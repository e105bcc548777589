"""The forms of the learners' screens: one learner, the list's filter, a class list's upload."""

import re

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms_app.encryption import blind_index
from forms_app.forms import DateInput
from forms_app.models import Gender
from learners.models import Learner

GENDER_CHOICES = [("", _("Not known")), (Gender.MALE, _("Male")), (Gender.FEMALE, _("Female"))]


class SchoolChoiceMixin:
    """Asks which school only of someone who keeps the lists of several."""

    def set_schools(self, schools: QuerySet) -> None:
        field = self.fields["school"]
        field.queryset = schools
        if len(schools) < 2:
            field.widget = forms.HiddenInput()
            field.initial = schools[0].pk if schools else None


class LearnerForm(forms.ModelForm):
    """A learner typed in by hand, or corrected."""

    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput)
    gender = forms.ChoiceField(label=_("Gender"), choices=GENDER_CHOICES, required=False)

    class Meta:
        model = Learner
        fields = ["full_name", "class_name", "birth_date", "gender", "personal_id"]
        labels = {
            "full_name": _("Full name"),
            "class_name": _("Class"),
            "personal_id": _("Personal ID number"),
        }
        help_texts = {
            "personal_id": _("12 digits, as in VnEdu or MISA EMIS. May be left empty."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("full_name", "class_name", "personal_id"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean_full_name(self) -> str:
        name = " ".join((self.cleaned_data.get("full_name") or "").split())
        if not name:
            raise forms.ValidationError(_("Write the learner's full name."), code="required")
        return name

    def clean_class_name(self) -> str:
        return " ".join((self.cleaned_data.get("class_name") or "").split()).upper()

    def clean_birth_date(self):
        birth_date = self.cleaned_data.get("birth_date")
        if birth_date and birth_date > timezone.localdate():
            raise forms.ValidationError(
                _("The date of birth cannot be in the future."), code="future"
            )
        return birth_date

    def clean_personal_id(self) -> str:
        value = re.sub(r"\s", "", self.cleaned_data.get("personal_id") or "")
        if value and not re.fullmatch(r"\d{12}", value):
            raise forms.ValidationError(
                _("The personal ID number has exactly 12 digits."), code="invalid"
            )
        return value

    def validate_unique(self) -> None:
        # The model's constraint is on the keyed hash, which the form does not see.
        super().validate_unique()
        personal_id = self.cleaned_data.get("personal_id")
        if not personal_id or self.instance.school_id is None:
            return
        others = Learner.objects.filter(
            school_id=self.instance.school_id, personal_id_index=blind_index(personal_id)
        ).exclude(pk=self.instance.pk)
        if others.exists():
            self.add_error(
                "personal_id",
                forms.ValidationError(
                    _("Another learner of the school has this personal ID number."),
                    code="unique",
                ),
            )


class AddLearnerForm(SchoolChoiceMixin, LearnerForm):
    school = forms.ModelChoiceField(label=_("School"), queryset=None, empty_label=None)

    class Meta(LearnerForm.Meta):
        fields = ["school", *LearnerForm.Meta.fields]

    def __init__(self, *args, schools: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_schools(schools)

    def _post_clean(self) -> None:
        # The school is known before the uniqueness of the ID is checked.
        school = self.cleaned_data.get("school")
        if school is not None:
            self.instance.school = school
        super()._post_clean()


class ListFilterForm(forms.Form):
    """The list's filter: a class, or one learner by exact name (the name is encrypted,
    so the database can only find it whole)."""

    school = forms.ModelChoiceField(
        label=_("School"), queryset=None, required=False, empty_label=None
    )
    class_name = forms.ChoiceField(label=_("Class"), required=False)
    name = forms.CharField(
        label=_("Full name"),
        required=False,
        max_length=255,
        help_text=_("The whole name, with or without diacritics."),
    )
    roll = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("On the roll")), ("left", _("Left the roll")), ("all", _("All"))],
    )

    def __init__(self, *args, schools: QuerySet, classes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        if len(schools) < 2:
            del self.fields["school"]
        self.fields["class_name"].choices = [("", _("All classes"))] + [(c, c) for c in classes]
        self.fields["name"].widget.attrs.update(autocomplete="off", spellcheck="false")


class UploadForm(SchoolChoiceMixin, forms.Form):
    school = forms.ModelChoiceField(label=_("School"), queryset=None, empty_label=None)
    file = forms.FileField(
        label=_("Class list (.xlsx)"),
        help_text=_(
            "The Excel file exported from VnEdu or MISA EMIS, with a row of column names "
            "such as “Họ và tên”, “Ngày sinh”, “Giới tính”, “Lớp”, “Mã định danh”."
        ),
        widget=forms.FileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args, schools: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_schools(schools)
