"""The words of an alert: made from its kind and its school's name, nothing else.

This is the only text an alert or its e-mail carries, so no learner's name, case
reference or word of a concern can reach an inbox or a notification list.
"""

from django.utils.translation import gettext

from notifications.models import Kind


def notification_text(kind: str, school_name: str, urgent: bool = False) -> str:
    """One sentence saying what waits at ``school_name``; Vietnamese through the catalogue."""
    params = {"school": school_name}
    if kind == Kind.NEW_CONCERN and urgent:
        return gettext("URGENT: %(school)s has 1 new concern saying a child is in danger now.") % (
            params
        )
    texts = {
        Kind.NEW_CONCERN: gettext("%(school)s has 1 new concern to receive."),
        Kind.SENDER_MESSAGE: gettext("%(school)s: a sender has written a new message."),
        Kind.PLAN_SUBMITTED: gettext("%(school)s: a support plan waits for your approval."),
        Kind.PLAN_APPROVED: gettext("%(school)s: your support plan has been approved."),
        Kind.PLAN_RETURNED: gettext("%(school)s: your support plan has been returned for changes."),
        Kind.PAGE_REVIEW: gettext("%(school)s: a page waits for your review."),
        Kind.REFERRAL_DUE: gettext("%(school)s: a referral is due within 4 working hours."),
        Kind.PLAN_APPROVAL_DUE: gettext(
            "%(school)s: a decision on a support plan is due by the end of the next working day."
        ),
        Kind.REVIEW_DUE: gettext("%(school)s: a review of support is due within 2 days."),
        Kind.OVERDUE: gettext("%(school)s: a deadline has passed."),
        # A report to the district (notifications.deadlines.notify_due_reports).
        "report_due": gettext(
            "%(school)s: the report to the district education office is due within 7 days."
        ),
        "report_overdue": gettext(
            "%(school)s: the report to the district education office is overdue."
        ),
    }
    return texts.get(kind, gettext("%(school)s: something new waits for you.")) % params


def sign_in_line() -> str:
    return gettext("Sign in to see it.")
