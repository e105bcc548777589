"""URLs of the actions on a case (decisions, referral, closing) and of "Việc cần làm"."""

from django.urls import path

from forms_app import views_actions

urlpatterns: list = [
    path(
        "ke-hoach/<int:plan_pk>/quyet-dinh/",
        views_actions.PlanDecideView.as_view(),
        name="plan_decide",
    ),
    path(
        "ho-so/<int:case_pk>/bat-dau/",
        views_actions.CaseStartView.as_view(),
        name="case_start",
    ),
    path(
        "ho-so/<int:case_pk>/chuyen-tuyen/",
        views_actions.ReferCaseView.as_view(),
        name="case_refer",
    ),
    path(
        "chuyen-tuyen/<int:referral_pk>/da-gui/",
        views_actions.ReferralSentView.as_view(),
        name="referral_sent",
    ),
    path("ho-so/<int:case_pk>/dong/", views_actions.CloseCaseView.as_view(), name="case_close"),
    path("viec-can-lam/", views_actions.todo, name="todo"),
]
