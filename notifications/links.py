"""Where an alert leads: admin paths whose own views decide who may open the object.

The triage screens belong to another room; their paths are the contract of issue
15 (``/admin/tiep-nhan-thong-tin/<pk>/``), reversed by name when it is known.
"""

from django.urls import NoReverseMatch, reverse

from forms_app.display import case_url


def concern_url(concern_id: int) -> str:
    for name in ("triage:item", "triage:detail", "triage:concern"):
        try:
            return reverse(name, args=[concern_id])
        except NoReverseMatch:
            continue
    return f"/admin/tiep-nhan-thong-tin/{concern_id}/"


def plan_decision_url(plan_id: int, case_id: int) -> str:
    try:
        return reverse("forms_app:plan_decide", args=[plan_id])
    except NoReverseMatch:
        return case_url(case_id)


def page_url(page_id: int) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page_id])


__all__ = ["case_url", "concern_url", "page_url", "plan_decision_url"]
