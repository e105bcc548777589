"""Mẫu 01 — Báo cáo tiếp nhận thông tin: the wizard of the intake report that opens a case."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms import Form
from django.utils import timezone
from django.utils.translation import gettext

from forms_app.cases.consent import GUARDIAN_CONSENT_CHOICES, LEARNER_CONSENT_CHOICES
from forms_app.cases.opening import open_case
from forms_app.cases.policy import can_open_case, case_schools
from forms_app.forms.intake import (
    CHANNEL_CHOICES,
    FamilyForm,
    FirstAssessmentForm,
    InformantConsentForm,
    InformantForm,
    LearnerForm,
    SourceForm,
    SupportSoFarForm,
)
from forms_app.models import IntakeReport, TemplateCode, WizardDraft
from forms_app.models.records import TT18_2025
from forms_app.printing.sections import (
    Row,
    Section,
    as_text,
    choice_text,
    field_label,
    numbered,
    step_answers,
)
from forms_app.signals import case_opened
from forms_app.wizards.base import CaseWizard
from learners.models import Learner
from learners.policy import learners_for


def informant_consented(wizard: CaseWizard) -> bool:
    """Show the informant's step only when they agreed to give their details."""
    cleaned = wizard.get_cleaned_data_for_step("informant_consent") or {}
    return bool(cleaned.get("consent"))


def consent_text(choices, value) -> str:
    """A consent answer in words; an intake made before the question reads "Not recorded"."""
    if not value:
        return gettext("Not recorded")
    return choice_text(choices, value)


class IntakeWizard(CaseWizard):
    """Mẫu 01 — Báo cáo tiếp nhận thông tin: the intake report that opens a case.

    The learner's identifying details become the case's columns; the rest of the
    answers are kept by step in the report's ``answers``, beside the template
    version and legal basis. Without the informant's consent their step is neither
    shown nor stored.
    """

    template_code = TemplateCode.INTAKE
    url_base = "intake"
    url_slug = "tiep-nhan"
    template_version = "2025.1"
    legal_basis = TT18_2025
    form_list = [
        ("source", SourceForm),
        ("learner", LearnerForm),
        ("family", FamilyForm),
        ("support_so_far", SupportSoFarForm),
        ("informant_consent", InformantConsentForm),
        ("informant", InformantForm),
        ("first_assessment", FirstAssessmentForm),
    ]
    condition_dict = {"informant": informant_consented}
    # The first assessment (urgency, needs, whether to refer) sums an intake up.
    summary_section_numbers = (6,)

    # Answers that become columns of the case or the report rather than JSON.
    column_fields = {
        "source": {"received_date", "received_time", "received_at", "school"},
        "learner": {
            "name",
            "birth_date",
            "age_estimate",
            "gender",
            "learner_class",
            "categories",
            "roll_learner",
        },
        "informant_consent": {"consent"},
        "first_assessment": {"urgency", "referral_suggested"},
    }

    @classmethod
    def draft_learner(cls, draft: WizardDraft) -> str:
        """The name typed on the learner step, as stored in the draft (first value)."""
        stored = (draft.steps or {}).get("data", {}).get("learner", {})
        values = stored.get("learner-name") or [""]
        return str(values[0]).strip()

    def get_case_schools(self) -> QuerySet:
        return case_schools(self.request.user)

    def get_form_kwargs(self, step: str | None = None) -> dict:
        if step == "source":
            return {"schools": self.get_case_schools()}
        if step == "learner":
            return {"roll": self.get_learner_roll()}
        return {}

    def get_learner_roll(self) -> QuerySet[Learner]:
        """The learners the learner step may offer: the draft's school's list, as far as
        the user may read it (learners.policy). Override to offer others."""
        return learners_for(self.request.user).filter(school_id=self.draft.school_id)

    def with_details_from_roll(self, form: Form, data: dict) -> dict:
        """The learner step's input with what the learner picked from the list filled in,
        so going back to the step shows it."""
        filled = getattr(form, "roll_filled", {})
        return {**data, **{form.add_prefix(name): [value] for name, value in filled.items()}}

    @staticmethod
    def picked_learner(answers: dict, school) -> Learner | None:
        """The learner picked from the school's list on the learner step, if any."""
        learner = answers.get("roll_learner")
        return learner if learner is not None and learner.school_id == school.pk else None

    def get_form_initial(self, step: str) -> dict:
        if step == "source":
            now = timezone.localtime().replace(second=0, microsecond=0)
            return {
                "received_date": now.date(),
                "received_time": now.time(),
                "school": self.draft.school,
            }
        return super().get_form_initial(step)

    def process_step(self, form: Form):
        # The draft follows the school chosen, so its list and permission checks do too.
        school = form.cleaned_data.get("school") if self.steps.current == "source" else None
        if school is not None and school.pk != self.draft.school_id:
            WizardDraft.objects.filter(pk=self.draft.pk).update(school=school)
            self.draft.school = school
        data = super().process_step(form)
        if self.steps.current == "learner":
            data = self.with_details_from_roll(form, data)
        return data

    def create_record(self, form_dict: dict[str, Form], draft: WizardDraft) -> IntakeReport:
        user = self.request.user
        cleaned = {step: form.cleaned_data for step, form in form_dict.items()}
        source, learner = cleaned["source"], cleaned["learner"]
        consent = cleaned["informant_consent"]["consent"]
        assessment = cleaned["first_assessment"]
        school = source.get("school") or draft.school
        if not can_open_case(user, school):
            raise PermissionDenied
        received_at: datetime.datetime = source["received_at"]

        case = open_case(
            school,
            user,
            received_at=received_at,
            learner_name=learner["name"],
            learner_birth_date=learner["birth_date"],
            learner_age_estimate=learner["age_estimate"],
            learner_gender=learner["gender"],
            learner_class=learner["learner_class"],
            learner=self.picked_learner(learner, school),
        )
        case.categories.set(learner["categories"])
        report = IntakeReport.objects.create(
            case=case,
            received_at=received_at,
            urgency=assessment["urgency"],
            referral_suggested=assessment["referral_suggested"],
            informant_consented=consent,
            answers=self.get_answers(cleaned, self.column_fields),
            template_version=self.template_version,
            legal_basis=self.legal_basis,
            author=user,
        )
        self.announce_case(case, draft)
        return report

    def announce_case(self, case, draft: WizardDraft) -> None:
        """Tell the app the draft came from (``draft.source``) that its case is open.

        Inside the submission's transaction, so a receiver's link to the case is made
        or undone with the case.
        """
        case_opened.send(sender=type(self), case=case, source=draft.source, user=self.request.user)

    @classmethod
    def describe_sections(cls, record: IntakeReport) -> list[Section]:
        """The report as the seven numbered parts of Mẫu 01, in the order of the paper form.

        The learner's identity is read from the case (where the wizard put it, and
        where later corrections go), the rest from the report's answers. Labels are
        the step forms' own, so the print says what the screen asked.
        """
        answers = record.answers or {}
        case = record.case

        def step(name: str) -> dict:
            return step_answers(answers, name)

        received_at = timezone.localtime(record.received_at)
        source = [
            Row(
                field_label(SourceForm, "channel"),
                choice_text(CHANNEL_CHOICES, step("source").get("channel")),
            ),
            Row(field_label(SourceForm, "received_date"), received_at.strftime("%d/%m/%Y")),
            Row(field_label(SourceForm, "received_time"), received_at.strftime("%H:%M")),
        ]

        learner_answers = step("learner")
        if case.learner_birth_date is None and case.learner_age_estimate is not None:
            age = Row(field_label(LearnerForm, "age_estimate"), as_text(case.learner_age_estimate))
        else:
            age = Row(
                field_label(LearnerForm, "birth_date"),
                as_text(case.learner_birth_date, person_fact=True),
            )
        learner = [
            Row(field_label(LearnerForm, "name"), as_text(case.learner_name, person_fact=True)),
            age,
            # "Not known" is itself the label of the unknown gender.
            Row(field_label(LearnerForm, "gender"), case.get_learner_gender_display()),
            Row(
                field_label(LearnerForm, "learner_class"),
                as_text(case.learner_class, person_fact=True),
            ),
            *(
                Row(
                    field_label(LearnerForm, name),
                    as_text(learner_answers.get(name), person_fact=True),
                )
                for name in ("place", "current_condition", "likely_consequences")
            ),
            Row(
                field_label(LearnerForm, "categories"),
                as_text([category.name for category in case.categories.all()], person_fact=True),
            ),
            Row(
                field_label(LearnerForm, "learner_consent"),
                consent_text(LEARNER_CONSENT_CHOICES, learner_answers.get("learner_consent")),
            ),
        ]

        family_answers = step("family")
        family = [
            Row(field_label(FamilyForm, name), as_text(family_answers.get(name), person_fact=True))
            for name in FamilyForm.base_fields
            if name != "guardian_consent"
        ]
        family.append(
            Row(
                field_label(FamilyForm, "guardian_consent"),
                consent_text(GUARDIAN_CONSENT_CHOICES, family_answers.get("guardian_consent")),
            )
        )

        support = [
            Row(
                field_label(SupportSoFarForm, "support_so_far"),
                as_text(step("support_so_far").get("support_so_far")),
            )
        ]

        if record.informant_consented:
            given = step("informant")
            informant = [
                Row(field_label(InformantForm, name), as_text(given.get(name), person_fact=True))
                for name in InformantForm.base_fields
            ]
        else:
            informant = [
                Row(
                    str(InformantConsentForm.title),
                    gettext(
                        "The informant did not agree to give their details; "
                        "nothing about them was recorded."
                    ),
                )
            ]

        first = step("first_assessment")
        assessment = [
            Row(field_label(FirstAssessmentForm, "urgency"), record.get_urgency_display()),
            Row(field_label(FirstAssessmentForm, "needs"), as_text(first.get("needs"))),
            Row(
                field_label(FirstAssessmentForm, "referral_suggested"),
                as_text(record.referral_suggested),
            ),
        ]
        notes = [Row(field_label(FirstAssessmentForm, "notes"), as_text(first.get("notes")))]

        return numbered(
            [
                (SourceForm.title, source),
                (LearnerForm.title, learner),
                (FamilyForm.title, family),
                (SupportSoFarForm.title, support),
                (InformantForm.title, informant),
                (FirstAssessmentForm.title, assessment),
                (FirstAssessmentForm.base_fields["notes"].label, notes),
            ]
        )
