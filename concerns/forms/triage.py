"""The triage screens' forms: the queue's filters, each decision, and a call logged by hand."""

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concerns.models import Channel, CloseReason, ConcernLearner, Status
from concerns.triage import ALL, OPEN, QueueFilter
from forms_app.forms import DateInput, TimeInput
from forms_app.forms.intake import clean_received_at

STATUS_CHOICES = [
    (OPEN, _("Open (received or being handled)")),
    *Status.choices,
    (ALL, _("All")),
]
# What a case worker logs by hand: everything but the staff form and the online channel.
LOGGED_CHANNELS = [
    (Channel.PHONE, Channel.PHONE.label),
    (Channel.VISIT, Channel.VISIT.label),
    (Channel.SUGGESTION_BOX, Channel.SUGGESTION_BOX.label),
    (Channel.OTHER, Channel.OTHER.label),
]
LEARNER_LINES_MAX = 20


class QueueFilterForm(forms.Form):
    """The queue's filters, from the query string; anything unknown reads as the default."""

    # A long choice must not push a phone's screen wider than itself.
    status = forms.ChoiceField(
        label=_("Status"),
        choices=STATUS_CHOICES,
        required=False,
        widget=forms.Select(attrs={"style": "max-width: 100%"}),
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[("", _("All channels")), *Channel.choices],
        required=False,
        widget=forms.Select(attrs={"style": "max-width: 100%"}),
    )
    urgent = forms.BooleanField(label=_("Urgent only"), required=False)
    aside = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def queue_filter(self) -> QueueFilter:
        if not self.is_valid():
            return QueueFilter()
        data = self.cleaned_data
        return QueueFilter(
            status=data.get("status") or OPEN,
            channel=data.get("channel") or "",
            urgent=bool(data.get("urgent")),
            set_aside=bool(data.get("aside")),
        )


class LearnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ConcernLearner) -> str:
        name = obj.display_name() or str(_("Name not given"))
        return f"{name} · {obj.get_role_display()}"


class OpenCaseForm(forms.Form):
    """Which learner named by the concern the new case is about (each gets their own case)."""

    learner = LearnerChoiceField(
        label=_("Which learner is this case for?"),
        queryset=ConcernLearner.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        required=False,
    )

    def __init__(self, *args, waiting: QuerySet[ConcernLearner], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["learner"].queryset = waiting
        self.waiting = list(waiting)
        # A concern naming nobody opens a case for a learner typed in the form; one
        # naming a single learner needs no choice.
        self.fields["learner"].required = len(self.waiting) > 1
        if len(self.waiting) == 1:
            self.fields["learner"].initial = self.waiting[0].pk

    def clean_learner(self) -> ConcernLearner | None:
        chosen = self.cleaned_data.get("learner")
        if chosen is None and len(self.waiting) == 1:
            return self.waiting[0]
        return chosen


class AttachForm(forms.Form):
    """An existing case of the same learner, to which the concern is added."""

    case = forms.ModelChoiceField(
        label=_("Case"), queryset=None, widget=forms.RadioSelect, empty_label=None
    )
    learner = LearnerChoiceField(
        label=_("Learner this case is about"),
        queryset=ConcernLearner.objects.none(),
        required=False,
        empty_label=_("Not one of them"),
    )

    def __init__(self, *args, cases, waiting: QuerySet[ConcernLearner], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases
        self.fields["case"].label_from_instance = lambda case: (
            f"{case.reference} · {case.get_state_display()}"
        )
        self.fields["learner"].queryset = waiting


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your reply"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5, "autocomplete": "off"}),
        help_text=_(
            "The sender reads it with their tracking code and secret phrase. "
            "Write simply, as to a child."
        ),
    )


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why is it closed?"), choices=CloseReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LogConcernForm(forms.Form):
    """A call, a visit or a note from the suggestion box, written down by a case worker."""

    school = forms.ModelChoiceField(label=_("School"), queryset=None, empty_label=None)
    channel = forms.ChoiceField(
        label=_("How did it reach the school?"), choices=LOGGED_CHANNELS, widget=forms.RadioSelect
    )
    caller = forms.CharField(
        label=_("Who called or came"),
        max_length=255,
        required=False,
        help_text=_(
            "For example: Tổng đài 111, the learner's mother, the commune People's Committee."
        ),
    )
    received_date = forms.DateField(label=_("Date received"), widget=DateInput)
    received_time = forms.TimeField(
        label=_("Time received"),
        widget=TimeInput,
        help_text=_("This moment starts the 12-working-hour referral deadline."),
    )
    what_happened = forms.CharField(
        label=_("What is it about?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    when_where = forms.CharField(label=_("When and where"), max_length=500, required=False)
    urgent = forms.BooleanField(label=_("The child is in danger now"), required=False)
    learners = forms.CharField(
        label=_("Learners named"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One learner a line; the class after a comma, for example: Nguyễn Văn An, 6A. "
            "A learner on the school's list is recognised by the name."
        ),
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        if schools.count() < 2:
            # Asked only of someone who receives concerns at several schools.
            self.fields["school"].widget = forms.HiddenInput()
        if not self.is_bound:
            now = timezone.localtime().replace(second=0, microsecond=0)
            self.initial.setdefault("received_date", now.date())
            self.initial.setdefault("received_time", now.time())
            self.initial.setdefault("school", schools.first())

    def clean_learners(self) -> list[tuple[str, str]]:
        lines = [line.strip() for line in self.cleaned_data.get("learners", "").splitlines()]
        named = []
        for line in filter(None, lines):
            name, _sep, class_name = line.partition(",")
            name, class_name = name.strip(), class_name.strip()
            if len(name) > 255 or len(class_name) > 32:
                raise forms.ValidationError(
                    _("A name is at most 255 characters and a class at most 32."), code="too_long"
                )
            if name:
                named.append((name, class_name))
        if len(named) > LEARNER_LINES_MAX:
            raise forms.ValidationError(
                _("At most %(max)s learners can be named."),
                code="too_many",
                params={"max": LEARNER_LINES_MAX},
            )
        return named

    def clean(self) -> dict:
        return clean_received_at(self, super().clean())
