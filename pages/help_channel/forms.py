"""The help channel's forms: write, come back, answer.

Words for a child of ten. Every text field has ``autocomplete="off"`` so the
browser keeps nothing of it. The write form carries two traps for machines, which
never refuse a post but set it aside for a person to look at: a field people do
not see (``website``) and a signed time token (a form sent within seconds of being
shown was not typed by a person).
"""

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from concerns.gateway import MAX_CONTACT_LENGTH, MAX_TEXT_LENGTH

TOKEN_SALT = "help-channel.started"
# A person needs more than this to read the page and write anything.
MIN_SECONDS = 3


def _text_attrs(**extra) -> dict:
    return {"autocomplete": "off", "autocapitalize": "sentences", "spellcheck": "false", **extra}


def time_token() -> str:
    """A signed note of when the form was shown."""
    return signing.TimestampSigner(salt=TOKEN_SALT).sign("shown")


def filled_too_fast(token: str) -> bool:
    """Whether the token is missing, forged, or younger than ``MIN_SECONDS``."""
    signer = signing.TimestampSigner(salt=TOKEN_SALT)
    try:
        signer.unsign(token or "", max_age=MIN_SECONDS)
    except signing.SignatureExpired:
        return False  # older than the minimum: a person took their time
    except signing.BadSignature:
        return True
    return True


class HelpRequestForm(forms.Form):
    """What a pupil or parent sends the counselling team."""

    ANONYMOUS = "anonymous"
    REACH_ME = "reach_me"

    sender_role = forms.ChoiceField(
        label=_("Who is writing?"),
        choices=[
            ("learner", _("I am a pupil")),
            ("parent", _("I am a parent or carer")),
            ("other", _("Someone else")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who is writing.")},
    )
    text = forms.CharField(
        label=_("Your message"),
        help_text=_(
            "Write what happened, or what worries you, in your own words. "
            "You do not have to give your name."
        ),
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs=_text_attrs(rows=8)),
        error_messages={
            "required": _("Write your message first."),
            "max_length": _(
                "Your message is too long: at most %(limit_value)d characters "
                "(now %(show_value)d). Shorten it a little, or send the rest later "
                "with your code."
            ),
        },
    )
    reach = forms.ChoiceField(
        label=_("Should the teachers be able to contact you?"),
        choices=[
            (ANONYMOUS, _("No, I stay anonymous. I will come back with my code.")),
            (REACH_ME, _("Yes, here is how to reach me")),
        ],
        initial=ANONYMOUS,
        widget=forms.RadioSelect,
    )
    contact = forms.CharField(
        label=_("Phone number, e-mail or class and name"),
        help_text=_(
            "Fill this in only if you chose “Yes”. "
            "Only the school's counselling teachers will see it."
        ),
        required=False,
        max_length=MAX_CONTACT_LENGTH,
        widget=forms.TextInput(attrs=_text_attrs()),
        error_messages={
            "max_length": _("At most %(limit_value)d characters (now %(show_value)d).")
        },
    )
    # Machines fill every field; people never see this one (hidden by the stylesheet,
    # skipped by the keyboard and by screen readers).
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = time_token()

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write your message first."), code="required")
        return text

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("reach") == self.REACH_ME and not (cleaned.get("contact") or "").strip():
            self.add_error(
                "contact",
                forms.ValidationError(
                    _("Write how to reach you, or choose to stay anonymous."), code="required"
                ),
            )
        return cleaned

    @property
    def anonymous(self) -> bool:
        return self.cleaned_data.get("reach") != self.REACH_ME

    def looks_like_spam(self) -> bool:
        """The honeypot was filled, or the form came back too fast to be typed."""
        return bool(self.data.get("website", "").strip()) or filled_too_fast(
            self.data.get("started", "")
        )


class ComeBackForm(forms.Form):
    """The code and the secret phrase from the receipt."""

    code = forms.CharField(
        label=_("Your code"),
        help_text=_("8 letters and numbers, for example K7M2-QX9P."),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={"required": _("Write your code.")},
    )
    secret = forms.CharField(
        label=_("Your secret words"),
        help_text=_("The 4 words you wrote down. Accents and capital letters do not matter."),
        max_length=200,
        widget=forms.TextInput(attrs=_text_attrs(autocapitalize="none")),
        error_messages={"required": _("Write your secret words.")},
    )


class ReplyForm(forms.Form):
    """The sender's answer to the team."""

    text = forms.CharField(
        label=_("Your answer"),
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs=_text_attrs(rows=5)),
        error_messages={
            "required": _("Write your answer first."),
            "max_length": _(
                "Your answer is too long: at most %(limit_value)d characters (now %(show_value)d)."
            ),
        },
    )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write your answer first."), code="required")
        return text
