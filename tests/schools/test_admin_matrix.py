"""Every admin URL the resolver knows, against every role of school A, school B's
administrator, the district officer and the operator, with the answer each must get.

Answers are classes a person would notice: the page opens ("ok"), the sign-in page
("login"), a refusal ("denied": 403, or Wagtail's "you do not have permission"
redirect to the dashboard), or nothing there at all ("missing": 404). An object of
another school is always "missing". No answer is ever a server error.

The case area (``/admin/ho-so/``, the case list, case files, the access audit) has its
own matrix in ``tests/forms_app/admin/test_url_matrix.py``; here it is only checked that
every one of its URL names is there. A new admin URL that neither matrix knows fails
``test_every_admin_url_is_in_a_matrix`` until someone decides who may open it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from wagtail.models import Task, Workflow

from concerns.models import Channel, Concern
from counselling.models import Activity, CounsellingArea, CounsellingEntry
from forms_app.models import ActivityPartner, IssueCategory, NeedDomain, RatingCriterion
from learners.models import Learner
from notifications.models import Notification
from pages.models import Audience, PlanIndexPage, Topic
from plan_import.models import PlanImport
from reports import periods, transitions
from reports.models import ReportingPeriod, SchoolReport
from schools.models import District

pytestmark = pytest.mark.django_db

OK, LOGIN, DENIED, MISSING = "ok", "login", "denied", "missing"
USERS = [
    "anonymous",
    "editor_a",
    "principal_a",
    "worker_a",
    "administrator_a",
    "head_a",
    "district",
    "administrator_b",
    "operator",
]
STAFF = [u for u in USERS if u != "anonymous"]
# Where each user has page and collection rights, and where they are an administrator.
PAGE_SIDES = {
    "editor_a": {"A"},
    "principal_a": {"A"},
    "administrator_a": {"A"},
    "head_a": {"A"},
    "administrator_b": {"B"},
    "operator": {"A", "B"},
}
ADMIN_SIDES = {"administrator_a": {"A"}, "head_a": {"A"}, "administrator_b": {"B"}}
ADMINS = set(ADMIN_SIDES)
# Case roles at school A (case worker, principal); nobody holds one at school B here.
CASE_PEOPLE = {"principal_a", "worker_a", "head_a"}
PAGE_PEOPLE = set(PAGE_SIDES) - {"operator"}

# The case area's URL names: their matrix is tests/forms_app/admin/test_url_matrix.py.
CASE_AREA = re.compile(r"^(forms_app:|case_files:|audit:|forms_app_case_modeladmin_)")
# URLs that are not screens anyone opens: why each one is left out.
LEFT_OUT = {
    "wagtailadmin_error_test": "raises on purpose, to show the error page",
    "": "Wagtail's catch-all 404 and test404 paths",
    "wagtailadmin_password_reset_confirm": "needs a token from an e-mail; tested by Wagtail",
    "wagtailadmin_editing_sessions:ping": "a background ping from an open editor",
    "wagtailadmin_editing_sessions:release": "a background ping from an open editor",
    "wagtailredirects:process_import": "second step of an import; needs the file of the first",
}
# Case URLs the case matrix leaves to this one: Wagtail's modeladmin "add" and
# "delete" of a case, which nobody uses (a case is opened by Mẫu 01, never deleted).
CASE_AREA_HERE = {"forms_app_case_modeladmin_create", "forms_app_case_modeladmin_delete"}


def admin_patterns() -> list[tuple[str, str]]:
    """(URL name, route) of every pattern under /admin/, as the resolver knows them."""
    found = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or ""
                full = f"{namespace}:{name}" if namespace and name else name
                found.append((full, prefix + str(pattern.pattern)))

    walk(get_resolver().url_patterns, "", "")
    return [(name, route) for name, route in found if route.startswith("admin/")]


def params_of(route: str) -> list[str]:
    return [a or b for a, b in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route)]


# What the URLs name -------------------------------------------------------------------


@dataclass
class Objects:
    world: object
    workflow: object
    task: object
    group: object
    district: object
    shared: dict
    # School A's: a learner on its list, an urgent concern, and the alert it raised
    # for worker_a
    learner: object = None
    concern: object = None
    alert: object = None
    # School A's counselling entry and activity, and its report sent to the district
    entry: object = None
    activity: object = None
    report: object = None
    # Each school's plan index, and an import editor_a has under school A's
    plan_indexes: dict = None
    plan_import: object = None


@pytest.fixture
def objects(tenancy) -> Objects:
    for side in (tenancy.a, tenancy.b):
        side.page.save_revision()
    shared = {
        "topic": Topic.objects.create(name="Chủ đề thử", slug="chu-de-thu"),
        "audience": Audience.objects.create(name="Đối tượng thử", code="thu"),
        "issuecategory": IssueCategory.objects.first(),
        "ratingcriterion": RatingCriterion.objects.first(),
        "needdomain": NeedDomain.objects.first(),
        "activitypartner": ActivityPartner.objects.first(),
    }
    school_a = tenancy.a.school
    learner = Learner.objects.create(school=school_a, full_name="Lò Văn Thử", class_name="6A")
    concern = Concern.objects.create(
        school=school_a, channel=Channel.PHONE, urgent=True, what_happened="Thử nghiệm."
    )
    alert = Notification.objects.get(recipient=tenancy.users["worker_a"], urgent=True)
    area = CounsellingArea.objects.first()
    period = periods.period(2026, ReportingPeriod.Kind.SEMESTER_1)
    shared["counsellingarea"] = area
    shared["reportingperiod"] = period
    report = SchoolReport.objects.create(school=school_a, period=period)
    transitions.submit(report, tenancy.users["principal_a"])
    plan_indexes = {
        key: side.school.root_page.add_child(instance=PlanIndexPage(title="Kế hoạch", slug="kh"))
        for key, side in (("A", tenancy.a), ("B", tenancy.b))
    }
    return Objects(
        plan_indexes=plan_indexes,
        plan_import=PlanImport.objects.create(
            user=tenancy.users["editor_a"], parent=plan_indexes["A"], recognised={"title": "Thử"}
        ),
        entry=CounsellingEntry.objects.create(school=school_a, area=area, notes="Thử."),
        activity=Activity.objects.create(school=school_a, title="Nói chuyện thử", area=area),
        report=report,
        learner=learner,
        concern=concern,
        alert=alert,
        world=tenancy,
        workflow=Workflow.objects.first() or Workflow.objects.create(name="Duyệt thử"),
        task=Task.objects.first() or Task.objects.create(name="Duyệt thử"),
        group=Group.objects.first(),
        district=District.objects.first(),
        shared=shared,
    )


SIDED_SNIPPETS = {
    "schools_school": "school",
    "pages_hotline": "hotline",
    "forms_app_schoolcalendar": "calendar",
    "forms_app_receivingbody": "receiving_body",
}
SIDE_USERS = {"A": "editor_a", "B": "teacher_b"}


def sided_object(name: str, side, key: str, objs: Objects):
    """The object of ``side`` a URL of ``name`` is about, or None when it is not sided."""
    snippet = re.match(r"wagtailsnippet(?:s|choosers)_(\w+):", name)
    if snippet and snippet.group(1) in SIDED_SNIPPETS:
        return getattr(side, SIDED_SNIPPETS[snippet.group(1)])
    if name.startswith("wagtailusers_users:"):
        return objs.world.users[SIDE_USERS[key]]
    if name.startswith("wagtailsites:"):
        return side.site
    if name.startswith(("wagtailimages", "wagtailadmin_api:images")):
        return side.image
    if name.startswith(("wagtaildocs", "wagtailadmin_api:documents")):
        return side.document
    if name.startswith("wagtailredirects:"):
        return side.redirect
    if name.startswith("wagtailadmin_collections:"):
        return side.school.collection
    return None


def kwargs_for(name: str, route: str, side_key: str | None, objs: Objects) -> dict:
    side = {"A": objs.world.a, "B": objs.world.b}.get(side_key or "A")
    obj = sided_object(name, side, side_key or "A", objs)
    snippet = re.match(
        r"wagtailsnippet(?:s|choosers)_(pages|forms_app|schools|counselling|reports)_(\w+):", name
    )
    values = {}
    for param in params_of(route):
        if param in ("pk", "object_id", "image_id", "document_id", "doc_id", "redirect_id"):
            if obj is not None:
                values[param] = obj.pk
            elif snippet and snippet.group(2) in objs.shared:
                values[param] = objs.shared[snippet.group(2)].pk
            elif snippet and snippet.group(2) == "district":
                values[param] = objs.district.pk
            elif name.startswith("wagtailusers_groups"):
                values[param] = objs.group.pk
            elif name.startswith("wagtailadmin_workflows") and "task" in name:
                values[param] = objs.task.pk
            elif name.startswith("wagtailadmin_workflows"):
                values[param] = objs.workflow.pk
            elif name.startswith(("wagtailadmin_pages", "wagtailadmin_api:pages")):
                values[param] = side.page.pk
            elif name.startswith("wagtailsettings"):
                values[param] = 1  # no setting is registered: any number
            elif name.startswith("concerns:"):
                values[param] = 1  # no concern here: nobody's own (their matrix: tests/concerns)
            elif name.startswith("learners:"):
                values[param] = objs.learner.pk
            elif name.startswith("triage:"):
                values[param] = objs.concern.pk
            elif name.startswith("notifications:"):
                values[param] = objs.alert.pk
            elif name.startswith("counselling:"):
                values[param] = (objs.activity if "activity" in name else objs.entry).pk
            elif name.startswith(("reports:", "district:")):
                values[param] = objs.report.pk
            elif name.startswith("plan_import:"):
                values[param] = objs.plan_import.pk
            else:
                raise AssertionError(f"No object for {param} in {name} ({route})")
        elif param in ("page_id", "page_to_move_id", "page_pk"):
            values[param] = side.page.pk
        elif param in ("parent_page_id", "destination_id"):
            values[param] = side.school.root_page_id
        elif param == "collection_id":
            values[param] = side.school.collection_id
        elif param == "index_id":
            values[param] = objs.plan_indexes[side_key or "A"].pk
        elif param == "revision_id":
            values[param] = side.page.latest_revision_id
        elif param == "revision_id_a":
            values[param] = "earliest"
        elif param == "revision_id_b":
            values[param] = "latest"
        elif param in ("content_type_app_name", "app_label", "app_name"):
            values[param] = "pages" if "workflows" not in name else "wagtailcore"
        elif param in ("content_type_model_name", "model_name"):
            values[param] = "standardpage" if "workflows" not in name else "groupapprovaltask"
        elif param == "action_name":
            values[param] = "copy" if name.startswith("wagtailadmin_api") else "approve"
        elif param == "filter_spec":
            values[param] = "original"
        elif param in ("task_state_id", "workflow_state_id", "uploaded_file_id", "session_id"):
            values[param] = 999999
        elif param in ("task_id", "workflow_pk"):
            values[param] = objs.task.pk if param == "task_id" else objs.workflow.pk
        elif param == "action":
            values[param] = "set_active_state"
        elif param == "instance_pk":
            values[param] = 999999
        elif param == "file_pk":
            values[param] = 999999  # no file: a file's own checks are in tests/concerns
        elif param == "slug" and name == "guides_guide":
            values[param] = "ho-so"  # a guide holds no data: every staff member reads it
        else:
            raise AssertionError(f"No sample value for {param} in {name} ({route})")
    if name == "wagtail_bulk_action":
        values.update(app_label="auth", model_name="user", action="set_active_state")
    return values


def is_sided(name: str, route: str) -> bool:
    """True when the URL names one object that belongs to a school."""
    params = set(params_of(route))
    if name.startswith(("wagtailadmin_pages:", "wagtailadmin_explore", "wagtailadmin_api:pages")):
        return bool(params & {"page_id", "parent_page_id", "page_to_move_id", "pk"})
    if name == "wagtailadmin_choose_page_child":
        return True
    if name.startswith("plan_import:"):
        return "index_id" in params
    if name.startswith(("wagtailadmin_workflows", "wagtailusers_groups", "wagtailsettings")):
        return False
    return bool(params & {"pk", "image_id", "document_id", "doc_id", "redirect_id"}) and (
        name.startswith(
            (
                "wagtailusers_users",
                "wagtailsites",
                "wagtailimages",
                "wagtaildocs",
                "wagtailredirects",
                "wagtailadmin_api",
            )
        )
        or any(f"_{key}:" in name for key in SIDED_SNIPPETS)
    )


# Who may open what ----------------------------------------------------------------------


# What an editor may not do to a page: their changes go to the principal for review.
EDITORS_DO_NOT = {
    "delete",
    "lock",
    "unlock",
    "move",
    "set_page_position",
    "unpublish",
    "set_privacy",
    "revisions_unschedule",
    "action",  # the admin API's copy, move and other page actions
}

# Screens that need more than a URL to show anything (a search term, a live workflow
# task, an alias, a registered setting or tag model): with the URL alone they answer
# this to whoever may open them; to anyone else, their usual refusal.
NEEDS_MORE = {
    "wagtailadmin_api:pages:find": MISSING,
    "wagtailadmin_api:documents:find": MISSING,
    "wagtailadmin_api:images:find": MISSING,
    "wagtailadmin_pages:convert_alias": MISSING,
    "wagtailadmin_pages:workflow_action": MISSING,
    "wagtailadmin_pages:collect_workflow_action_data": MISSING,
    "wagtailadmin_pages:workflow_preview": DENIED,
    "wagtailadmin_pages:workflow_history_detail": MISSING,
    "wagtailadmin_tag_model_autocomplete": MISSING,
    "wagtailadmin_block_preview": MISSING,
    "wagtailsettings:edit": MISSING,
    "wagtailsettings:preview_on_edit": MISSING,
    "wagtailimages:url_generator": MISSING,
    "wagtailimages:url_generator_output": MISSING,
    # Every snippet sits in a menu group, so the "other snippets" index has nothing to show.
    "wagtailsnippets:index": DENIED,
}


# School A's report is already sent: its submit page says so; "create" with no school
# and period named goes back to the list with a message.
REPORT_ANSWERS = {"reports:create": OK, "reports:submit": OK}


def reaches(user: str, side: str | None, sides: dict) -> bool:
    return user == "operator" or side in sides.get(user, set())


# An upload that is not there (the multiple-upload screens name one): not found, for
# whoever asks.
NOT_THERE = {
    "wagtailimages:create_multiple_from_uploaded_image",
    "wagtailimages:delete_upload_multiple",
    "wagtaildocs:create_multiple_from_uploaded_document",
    "wagtaildocs:delete_upload_multiple",
}


def expected(name: str, route: str, user: str, side: str | None) -> str:
    """What ``user`` gets, including screens that need more than their URL."""
    if name in NOT_THERE and user != "anonymous":
        return MISSING
    answer = policy(name, route, user, side)
    if answer == OK and name in NEEDS_MORE:
        return NEEDS_MORE[name]
    if name.startswith("wagtailsettings:") and user != "anonymous":
        return MISSING  # no setting is registered: nobody's, not even the operator's
    return answer


def policy(name: str, route: str, user: str, side: str | None) -> str:
    """The policy, stated for people: who opens which admin screen."""
    if name in ("wagtailadmin_login",) or name.startswith("wagtailadmin_password_reset"):
        return OK
    if name in ("wagtailadmin_javascript_catalog", "wagtailadmin_sprite"):
        return OK
    if user == "anonymous" or name == "wagtailadmin_logout":
        return LOGIN

    # The staff concern form and one's own concerns: every school's staff but the
    # district officer (concerns.policy); a concern that is not one's own is a 404.
    if name in ("concerns:raise", "concerns:mine"):
        return MISSING if user in ("district", "operator") else OK
    if name.startswith("concerns:"):
        return MISSING

    # The school's list of learners: its case roles and its administrator
    # (learners.policy); a learner of another school is a 404.
    if name.startswith("learners:"):
        if "pk" in params_of(route):
            return OK if user in (CASE_PEOPLE | {"administrator_a"}) else MISSING
        return OK if user in CASE_PEOPLE | ADMINS else MISSING

    # The triage queue and its items: the school's case roles only (concerns.policy).
    if name.startswith("triage:"):
        if name == "triage:attachment":
            return MISSING  # no such file
        return OK if user in CASE_PEOPLE else MISSING

    # Alerts: everyone's own list and settings; an alert opens for its recipient only,
    # and an urgent alert's read receipts for the school's case roles.
    if name == "notifications:open":
        return OK if user == "worker_a" else MISSING
    if name == "notifications:receipts":
        return OK if user in CASE_PEOPLE else MISSING
    if name.startswith("notifications:"):
        return OK

    # The counselling log and activities: the school's case roles only
    # (counselling.policy); school A's entry and activity are a 404 to anyone else.
    if name.startswith("counselling:"):
        return OK if user in CASE_PEOPLE else MISSING

    # The school's reports: its case roles read and draft them, a principal submits
    # (reports.policy); school A's report, already sent, is a 404 to anyone else.
    if name.startswith("reports:"):
        if user not in CASE_PEOPLE:
            return MISSING
        return REPORT_ANSWERS.get(name, OK)

    # Importing a plan: whoever may add a page under the school's plan index
    # (plan_import.policy); an import in progress is its uploader's alone.
    if name == "plan_import:start":
        return OK if reaches(user, side, PAGE_SIDES) else MISSING
    if name.startswith("plan_import:"):
        return OK if user == "editor_a" else MISSING

    # The district's view: district officers only; school A's report is waiting for
    # their decision.
    if name.startswith("district:"):
        return OK if user == "district" else MISSING

    if name == "forms_app_case_modeladmin_create":  # sends case roles to Mẫu 01
        return OK if user in ("principal_a", "worker_a", "head_a") else DENIED
    if name == "forms_app_case_modeladmin_delete":  # no case is ever deleted here
        return MISSING

    # Deployment-wide: districts, sites, redirects, groups, collections, workflows,
    # shared lists and taxonomies, settings, whole-site reports.
    operator_only = (
        "wagtailsnippets_schools_district",
        "wagtailsites:",
        "wagtailredirects:",
        "wagtailusers_groups:",
        "wagtailadmin_collections:",
        "wagtailadmin_workflows:",
        "wagtailsettings:",
        "wagtailadmin_reports:site_history",
        "wagtailadmin_reports:page_types_usage",
        # The admin API's image and document lists are not filtered by collection.
        "wagtailadmin_api:images",
        "wagtailadmin_api:documents",
    )
    shared_lists = ("topic", "audience", "issuecategory", "ratingcriterion", "needdomain")
    shared_lists += ("activitypartner", "counsellingarea", "reportingperiod")
    if name.startswith("wagtailadmin_collections:delete") and user != "operator":
        return MISSING  # Wagtail looks for it among the collections one may delete
    if name.startswith(operator_only) or any(
        name.startswith(f"wagtailsnippets_{app}_{model}:")
        for app in ("pages", "forms_app", "counselling", "reports")
        for model in shared_lists
    ):
        return OK if user == "operator" else DENIED
    if name.startswith("wagtailsnippetchoosers_") and name.endswith(":create"):
        # Adding from inside a chooser is adding: the same people as the list's "add".
        return policy(name.replace("choosers_", "s_").replace(":create", ":add"), route, user, side)
    if name.startswith("wagtailsnippetchoosers_") and not is_sided(name, route):
        return OK  # choosing a district or a shared list item in a form shows public names

    # A school's own things: the school, its staff, lines, calendar, referral bodies.
    school_things = ("wagtailusers_users:", *(f"_{k}:" for k in SIDED_SNIPPETS))
    if name.startswith("wagtailusers_users:") or (
        name.startswith("wagtailsnippets_") and any(k in name for k in school_things)
    ):
        if is_sided(name, route) and not reaches(user, side, ADMIN_SIDES):
            return MISSING
        if user not in ADMINS and user != "operator":
            return DENIED
        view = name.split(":")[1]
        if name.startswith("wagtailsnippets_schools_school:") and view in ("add", "copy", "delete"):
            return OK if user == "operator" else DENIED
        no_delete = "schoolcalendar" in name or "receivingbody" in name
        if no_delete and view == "delete" and user != "operator":
            return DENIED
        return OK
    if name.startswith("wagtailsnippetchoosers_"):
        if is_sided(name, route) and not reaches(user, side, ADMIN_SIDES):
            return MISSING
        return OK
    if name == "wagtail_bulk_action":
        # Bulk "activate/deactivate" of side A's editor.
        if not reaches(user, side or "A", ADMIN_SIDES):
            return MISSING
        return OK

    # The page tree, images and documents: the school's own part of each.
    tree = ("wagtailadmin_pages:", "wagtailadmin_explore", "wagtailadmin_api:pages")
    tree += ("wagtailadmin_choose_page_child",)
    if name.startswith(tree) and is_sided(name, route):
        if not reaches(user, side, PAGE_SIDES):
            return MISSING
        if name.split(":")[-1] in EDITORS_DO_NOT and user == "editor_a":
            return DENIED
        return OK
    if name.startswith(tree) and name.split(":")[-1] in EDITORS_DO_NOT and user == "editor_a":
        return DENIED
    if name.startswith(("wagtailimages_chooser:", "wagtaildocs_chooser:")) and not is_sided(
        name, route
    ):
        if name.endswith(":create"):
            return OK if user in PAGE_SIDES else DENIED  # uploading needs a collection
        return OK  # any staff member may open a chooser; it lists their collections only
    if name.startswith(("wagtailimages", "wagtaildocs")):
        if is_sided(name, route) and not reaches(user, side, PAGE_SIDES):
            return MISSING
        if user not in PAGE_SIDES:
            return DENIED
        return OK
    if name == "wagtailadmin_pages:choose_parent":
        return OK  # lists the pages where they may add one: none for some
    if name.startswith("wagtailadmin_reports:locked_pages") and user == "editor_a":
        return DENIED
    if name.startswith(("wagtailadmin_pages:", "wagtailadmin_reports:", "wagtailadmin_explore")):
        return OK if user in PAGE_SIDES else DENIED

    # Sign-in security: operators, and administrators for their own staff. Unlocking or
    # resetting with no account named finds no account.
    if name.startswith("accounts_security") or name in ("accounts_unlock", "accounts_reset_2fa"):
        if user not in ADMINS and user != "operator":
            return DENIED
        if name == "accounts_reset_2fa" and user != "operator":
            return MISSING  # a second factor is reset by the operator only
        return OK  # an unlock with no account named shows the form again

    # Everything else is the staff's own: dashboard, account, choosers' link forms,
    # the explorer's root, search, tag look-ups, the block preview, dismissibles.
    return OK


def answer_of(response) -> str:
    """The answer as a person sees it; Wagtail refuses by a redirect with an error message."""
    status = response.status_code
    if status == 404:
        return MISSING
    if status == 403:
        return DENIED
    if status in (301, 302):
        location = response.headers.get("Location", "")
        if location.startswith("/admin/login/"):
            return LOGIN
        if location in ("/admin/", "/admin"):
            queued = getattr(
                getattr(response.wsgi_request, "_messages", None), "_queued_messages", []
            )
            if any(message.level_tag == "error" for message in queued):
                return DENIED
    if status >= 500:
        return f"error {status}"
    return OK


def cases() -> list[tuple[str, str, str | None]]:
    out = []
    # Signing out ends the sweep.
    patterns = sorted(admin_patterns(), key=lambda p: p[0] == "wagtailadmin_logout")
    for name, route in patterns:
        if name in LEFT_OUT or (CASE_AREA.match(name) and name not in CASE_AREA_HERE):
            continue
        sides = ["A", "B"] if is_sided(name, route) else [None]
        out.extend((name, route, side) for side in sides)
    return out


def test_every_admin_url_is_in_a_matrix():
    from tests.forms_app.admin import test_url_matrix

    names = {name for name, _route in admin_patterns()}
    case_area = {name for name in names if CASE_AREA.match(name)}
    # The case matrix names the views it opens by URL name in its source.
    with open(test_url_matrix.__file__, encoding="utf-8") as module:
        source = module.read()
    missing = sorted(
        name
        for name in case_area - CASE_AREA_HERE
        if name.split(":")[-1] not in source and name not in source
    )
    assert missing == []
    assert len(cases()) > 250


@pytest.mark.parametrize("user", USERS)
def test_admin_matrix(objects, client, user):
    if user != "anonymous":
        client.force_login(objects.world.users[user])
    wrong, buttons = [], []
    for name, route, side in cases():
        url = reverse(name, kwargs=kwargs_for(name, route, side, objects))
        if name == "wagtail_bulk_action":
            url += f"?id={objects.world.users['editor_a'].pk}"
        # Signing out is a button; Wagtail signs out even on a refused GET.
        response = None if name == "wagtailadmin_logout" else client.get(url)
        if response is None or response.status_code == 405:
            buttons.append((name, route, side, url))
            continue
        want = expected(name, route, user, side)
        if (got := answer_of(response)) != want:
            wrong.append(f"{name} [{side}] {url}: got {got}, want {want}")
    # A button's action (POST only) is pressed once every screen has been opened:
    # what it removes or changes is then no longer needed, removals last of all.
    buttons.sort(key=lambda case: (case[0] == "wagtailadmin_logout", "delete" in case[0]))
    for name, route, side, url in buttons:
        want = expected(name, route, user, side)
        if (got := answer_of(client.post(url))) != want:
            wrong.append(f"POST {name} [{side}] {url}: got {got}, want {want}")
    assert wrong == [], f"{len(wrong)} answers differ:\n" + "\n".join(wrong)
