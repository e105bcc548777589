"""Walk every admin screen a signed-in user can reach, and read what it shows.

The list of screens comes from the URL resolver (every pattern under the admin's
prefix), never from a list typed by hand, so a screen added by a Wagtail upgrade
or by this project is crawled the day it appears. Path parameters are filled
with one object of each kind from :class:`World`, chosen by the parameter's name
and the view's model; what cannot be filled is named in ``SKIPPED`` with a reason.
"""

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.apps import apps
from django.contrib.auth.models import Group
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from wagtail.models import Collection, Page, Site, Task, Workflow

from concerns.models import Concern
from notifications.models import Notification
from reports.models import SchoolReport

ADMIN_PREFIX = "admin/"
# The admin's own 404 screen, reached through its catch-all pattern.
NOT_FOUND = "/admin/khong-co-trang-nay/"
CATCH_ALL = "admin/.*/"

# Screens that cannot or must not be visited, by URL name, each with its reason.
SKIPPED: dict[str | None, str] = {
    None: "Wagtail's test404: the admin 404 screen, crawled as NOT_FOUND",
    "wagtailadmin_logout": "signs the crawler out",
    "wagtailadmin_error_test": "raises on purpose (Wagtail's 'failwhale' error test)",
    "wagtailadmin_sprite": "the SVG icon sprite, no text",
    "wagtailadmin_javascript_catalog": "the translations themselves, as JavaScript",
    "wagtail_modeladmin:javascript_catalog": "the translations themselves, as JavaScript",
    "wagtailadmin_dismissibles": "POST only: remembers a dismissed banner",
    "wagtailadmin_editing_sessions:ping": "POST only: the editor's presence ping",
    "wagtailadmin_editing_sessions:release": "POST only: ends an editing session",
    "wagtailadmin_block_preview": "a StreamField block's preview iframe, needs a posted block",
    "wagtail_bulk_action": "needs a list of ids chosen in a listing; its confirm screen is the "
    "same template as the single delete/move screens crawled here",
    "wagtailadmin_pages:set_page_position": "POST only: reorders pages",
    "wagtailadmin_pages:workflow_action": "POST only: approves or rejects",
    "wagtailadmin_pages:preview_on_add": "the public page's preview",
    "wagtailadmin_pages:preview_on_edit": "the public page's preview",
    "wagtailadmin_pages:view_draft": "the public page's draft as the public sees it",
    "wagtailadmin_pages:workflow_preview": "the public page's preview at a workflow step",
    "wagtailsettings:preview_on_edit": "the public page's preview",
    "wagtailadmin_password_reset_confirm": "needs a token mailed to the user",
    "wagtailimages:preview": "an image file, no text",
    "wagtailimages:url_generator_output": "JSON of an image URL, no text",
    "wagtailimages:create_multiple_from_uploaded_image": "needs a half-finished upload",
    "wagtailimages:delete_upload_multiple": "POST only: discards a half-finished upload",
    "wagtaildocs:create_multiple_from_uploaded_document": "needs a half-finished upload",
    "wagtaildocs:delete_upload_multiple": "POST only: discards a half-finished upload",
    "wagtailimages:delete_multiple": "POST only (the multiple uploader's delete)",
    "wagtaildocs:delete_multiple": "POST only (the multiple uploader's delete)",
    "forms_app:record_pdf": "a PDF; tests/forms_app/printing reads its text",
    "forms_app:case_bundle_pdf": "a PDF; tests/forms_app/printing reads its text",
    "forms_app:case_export": "a CSV/XLSX download",
    "audit:report_export": "a CSV/XLSX download",
    "case_files:download": "the stored file itself",
    "triage:attachment": "the stored file itself",
    "triage:open_case": "POST only: a decision on a concern",
    "triage:attach": "POST only: a decision on a concern",
    "triage:reply": "POST only: a decision on a concern",
    "triage:close": "POST only: a decision on a concern",
    "triage:reopen": "POST only: a decision on a concern",
    "triage:release": "POST only: a decision on a concern",
    "triage:keep_aside": "POST only: a decision on a concern",
    "district:accept": "POST only: the district's decision on a report",
    "district:return": "POST only: the district's decision on a report",
    "district:xlsx": "an XLSX download; tests/reports reads it back",
    "district:pdf": "a PDF; tests/reports reads its text",
    "reports:xlsx": "an XLSX download; tests/reports reads it back",
    "reports:pdf": "a PDF; tests/reports reads its text",
}


def is_skipped_by_rule(name: str | None) -> str | None:
    """Why a whole family of URLs is left out, or None."""
    if name is None or name in SKIPPED:
        return SKIPPED.get(name)
    if name.startswith("wagtailadmin_api:"):
        return "the admin's JSON API for the page explorer, not a screen"
    if name.endswith(("_results", ":results")) or name.endswith("results"):
        return "the listing fragment its index screen already shows (same template)"
    if name.endswith(":chosen") or name.endswith("_chosen") or name.endswith(":chosen_multiple"):
        return "a chooser's answer to the page that opened it (JSON of the chosen object)"
    if name.startswith("wagtailadmin_tag") and "autocomplete" in name:
        return "JSON suggestions of tags"
    return None


@dataclass(frozen=True)
class Route:
    """One admin URL pattern, with what is known about the view behind it."""

    pattern: str
    name: str | None
    params: tuple[str, ...]
    callback: Callable
    model: type[models.Model] | None

    @property
    def view_name(self) -> str:
        return self.name or self.pattern


def _params(pattern) -> list[str]:
    if isinstance(pattern, RoutePattern):
        return re.findall(r"<(?:\w+:)?(\w+)>", str(pattern))
    if isinstance(pattern, RegexPattern):
        return list(pattern.regex.groupindex)
    return []


def _model_of(callback: Callable) -> type[models.Model] | None:
    """The model a view works on: a viewset's ``model`` or modeladmin's."""
    candidates = [
        (getattr(callback, "view_initkwargs", None) or {}).get("model"),
        getattr(getattr(callback, "view_class", None), "model", None),
        getattr(getattr(callback, "__self__", None), "model", None),
    ]
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, models.Model):
            return candidate
    return None


def admin_routes() -> list[Route]:
    """Every URL pattern under the admin prefix, in the resolver's order."""

    def walk(patterns, prefix: str, namespace: str | None, params: list[str]) -> Iterator[Route]:
        for entry in patterns:
            text = prefix + str(entry.pattern).lstrip("^").rstrip("$")
            here = params + _params(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                yield from walk(entry.url_patterns, text, inner, here)
            elif isinstance(entry, URLPattern):
                name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
                yield Route(text, name, tuple(here), entry.callback, _model_of(entry.callback))

    return [
        route
        for route in walk(get_resolver().url_patterns, "", None, [])
        if route.pattern.startswith(ADMIN_PREFIX)
    ]


@dataclass
class World:
    """One object of each kind, chosen where the crawled roles work (a demo school)."""

    school: models.Model
    pages: list[Page]  # one of each page type, most specific first where the school has it
    objects: dict[type, models.Model] = field(default_factory=dict)
    extra: dict[str, object] = field(default_factory=dict)

    def one(self, model: type[models.Model]) -> models.Model | None:
        """An object of ``model``, the school's own where the model knows schools."""
        if model in self.objects:
            return self.objects[model]
        queryset = model._default_manager.all()
        if model is Page or issubclass(model, Page):
            queryset = queryset.filter(path__startswith=self.school.root_page.path)
        else:
            names = {f.name for f in model._meta.get_fields()}
            if "school" in names:
                queryset = queryset.filter(school=self.school)
            elif "schools" in names:
                queryset = queryset.filter(schools=self.school)
        found = queryset.order_by("pk").first() or model._default_manager.order_by("pk").first()
        self.objects[model] = found
        return found


def _page_kwargs(route: Route, world: World) -> list[dict] | str:
    """Values for a route whose parameters name pages."""
    page = world.extra["content_page"]
    keys = set(route.params)
    if route.name == "wagtailadmin_pages:edit":
        # Each page type has its own edit form.
        return [{route.params[0]: p.pk} for p in world.pages]
    if route.name == "wagtailadmin_pages:add":
        return [
            {
                "content_type_app_name": model._meta.app_label,
                "content_type_model_name": model._meta.model_name,
                "parent_page_id": parent.pk,
            }
            for model, parent in world.extra["creatable"]
        ]
    if keys & {"content_type_app_name", "app_label"}:
        app, model_name = sorted(keys)
        return [{app: page._meta.app_label, model_name: page._meta.model_name}]
    values: dict = {}
    for key in keys & {"page_id", "parent_page_id", "page_to_move_id", "page_pk"}:
        values[key] = page.pk
    if "destination_id" in keys:
        values["destination_id"] = world.school.root_page.pk
    if "revision_id" in keys:
        values["revision_id"] = page.latest_revision_id
    if {"revision_id_a", "revision_id_b"} <= keys:
        values.update(pk=page.pk, revision_id_a="earliest", revision_id_b="latest")
    if keys & {"workflow_state_id", "task_state_id", "workflow_pk"}:
        state = world.extra.get("workflow_state")
        if state is None:
            return "no page in a workflow in the world"
        values["page_id" if "page_id" in keys else "page_pk"] = int(state.object_id)
        values.pop("workflow_state_id", None)
        if "workflow_state_id" in keys:
            values["workflow_state_id"] = state.pk
        if "workflow_pk" in keys:
            values["workflow_pk"] = state.workflow_id
        if "task_state_id" in keys:
            # The principal's approve and request-changes dialogs.
            task_state = state.current_task_state
            return [
                {**values, "task_state_id": task_state.pk, "action_name": action}
                for action in ("approve", "reject")
            ]
    return [values]


def _modeladmin_model(name: str) -> type[models.Model] | None:
    """The model of a wagtail-modeladmin URL name ("<app>_<model>_modeladmin_<action>")."""
    match = re.fullmatch(r"(\w+?)_(\w+?)_modeladmin_\w+", name)
    if match is None:
        return None
    try:
        return apps.get_model(match[1], match[2])
    except LookupError:
        return None


def kwargs_for(route: Route, world: World) -> list[dict] | str:
    """The keyword arguments of each URL to visit for ``route``, or why there are none."""
    keys = set(route.params)
    name = route.name or ""
    if not keys:
        return [{}]
    if name.startswith("wagtailadmin_pages:") or name in (
        "wagtailadmin_explore",
        "wagtailadmin_choose_page_child",
        "wagtailadmin_workflows:remove",
    ):
        return _page_kwargs(route, world)
    if name == "wagtailadmin_workflows:task_chosen":
        return [{"task_id": world.one(Task).pk}]
    if name == "wagtailadmin_workflows:add_task":
        return [{"app_label": "wagtailcore", "model_name": "groupapprovaltask"}]
    if name.startswith("wagtailadmin_workflows:") and keys == {"pk"}:
        target = Task if "task" in name else Workflow
        return [{"pk": world.one(target).pk}]
    if name == "wagtailsettings:edit":
        site = Site.objects.get(is_default_site=True)
        out = []
        for model in world.extra["settings_models"]:
            values = {"app_name": model._meta.app_label, "model_name": model._meta.model_name}
            if "pk" in keys:
                values["pk"] = site.pk
            out.append(values)
        return out
    if name == "forms_app:record_print":
        return [
            {"template": code, "pk": record.pk}
            for code, record in world.extra["records"].items()
            if record is not None
        ]
    if name.endswith("_step") and name.startswith("forms_app:"):
        return world.extra["wizard_steps"].get(name, "no draft of this wizard in the world")
    if keys == {"draft_id"}:
        # The wizards' drafts belong to the case worker (see the test's world).
        draft = world.extra.get("draft")
        return [{"draft_id": draft.pk}] if draft else "no draft in the world"
    if keys == {"slug"} and name in world.extra.get("slugs", {}):
        return [{"slug": slug} for slug in world.extra["slugs"][name]]
    if keys == {"case_pk"}:
        case = world.extra["cases_for"].get(name) or world.extra["case"]
        return [{"case_pk": case.pk}]
    if keys == {"plan_pk"}:
        return [{"plan_pk": world.extra["submitted_plan"].pk}]
    if keys == {"referral_pk"}:
        referral = world.extra.get("referral")
        return [{"referral_pk": referral.pk}] if referral else "no referral in the world"
    if keys == {"instance_pk"}:
        model = _modeladmin_model(name) or route.model
        if model is None:
            return "a modeladmin URL whose model is unknown"
        if model is world.extra.get("case_model"):
            return [{"instance_pk": world.extra["case"].pk}]
        return [{"instance_pk": world.one(model).pk}]
    if name in ("concerns:detail", "concerns:sent"):
        # Staff concerns of the school: each is read by its reporter only (404 to others).
        raised = Concern.objects.filter(school=world.school, channel="staff").order_by("pk")
        return [{"pk": concern.pk} for concern in raised] or "no staff concern in the world"
    if name == "triage:item":
        # Every demo concern of the school: each channel shows other facts and decisions.
        concerns = Concern.objects.filter(school=world.school).order_by("pk")
        return [{"pk": concern.pk} for concern in concerns] or "no concern in the world"
    if name == "notifications:open":
        return "marks an alert read and redirects to its object: no screen of its own"
    if name == "notifications:receipts":
        urgent = Notification.objects.filter(urgent=True, school=world.school).order_by("pk")
        return [{"pk": urgent.first().pk}] if urgent.exists() else "no urgent alert in the world"
    if name == "district:report":
        # Every report the demo submitted, the district's view of its frozen version.
        sent = SchoolReport.objects.filter(version__gt=0).order_by("pk")
        return [{"pk": report.pk} for report in sent] or "no submitted report in the world"
    if name.startswith("case_files:"):
        attachment = world.extra.get("attachment")
        return [{"pk": attachment.pk}] if attachment else "no case file in the world"
    if name.startswith("plan_import:"):
        return _plan_import_kwargs(name, world)
    model = route.model
    by_name: dict[str, type[models.Model]] = {
        "image_id": world.extra["image_model"],
        "document_id": world.extra["document_model"],
        "doc_id": world.extra["document_model"],
        "collection_id": Collection,
        "redirect_id": world.extra["redirect_model"],
    }
    values = {}
    for key in keys:
        if key in by_name:
            target = by_name[key]
        elif key == "pk" and name.startswith("wagtailusers_groups"):
            target = Group
        elif key == "pk" and model is not None:
            target = model
        else:
            return f"no rule fills <{key}>"
        obj = world.one(target)
        if obj is None:
            return f"no {target._meta.model_name} in the world"
        values[key] = obj.pk
    return [values]


def _plan_import_kwargs(name: str, world: World) -> list[dict] | str:
    """The school's plan index; for the review, an import by the school's first editor.

    An import is read by its uploader only, so the editor's crawl reads the review
    screen (with a legal basis, a section and a line not recognised to show).
    """
    from pages.models import PlanIndexPage
    from plan_import.models import PlanImport
    from plan_import.result import Clause, LegalBasis, Point, RecognisedPlan, Section
    from schools.models import Membership
    from schools.roles import Role

    index = world.one(PlanIndexPage)
    if index is None:
        return "no plan index in the world"
    if name == "plan_import:start":
        return [{"index_id": index.pk}]
    editor = Membership.objects.filter(school=world.school, role=Role.EDITOR).order_by("pk").first()
    if editor is None:
        return "no editor in the world"
    plan = RecognisedPlan(
        document_number="15/KH-THCS",
        issuing_body="TRƯỜNG THCS",
        title="Công tác xã hội trường học",
        legal_bases=[LegalBasis(verb="Căn cứ", number="33/2018/TT-BGDĐT", source="Căn cứ …")],
        sections=[Section("I.", "MỤC ĐÍCH", clauses=[Clause("1.", points=[Point("a)", "…")])])],
        leftovers=["Dòng lạ"],
    )
    row = PlanImport.objects.create(
        user=editor.user, parent=index, text="Số: 15/KH-THCS", recognised=plan.as_json()
    )
    return [{"pk": row.pk}]


# A snippet's list, forms and inspect screen show its own fields, so every model's
# are read; its other screens (delete, usage, history, copy, chooser) are one
# template whose only model-specific words are the model's name, read on the first.
PER_MODEL_ACTIONS = {"list", "add", "edit", "inspect"}


def _same_screen_as_first(route: Route, families: dict[str, str]) -> str | None:
    name = route.name or ""
    if not name.startswith(("wagtailsnippets_", "wagtailsnippetchoosers_")) or ":" not in name:
        return None
    prefix, action = name.split(":", 1)
    family = f"{prefix.split('_', 1)[0]}:{action}"
    if action in PER_MODEL_ACTIONS:
        return None
    first = families.setdefault(family, name)
    return None if first == name else f"the same screen as {first}, for another snippet"


def urls_to_visit(world: World) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """(view name, URL) of each screen to visit, and {pattern: why not} for the rest."""
    visit: list[tuple[str, str]] = []
    left_out: dict[str, str] = {}
    families: dict[str, str] = {}
    for route in admin_routes():
        same = _same_screen_as_first(route, families)
        if same is not None:
            left_out[route.pattern] = same
            continue
        if route.name is None and route.pattern == CATCH_ALL:
            visit.append(("admin 404", NOT_FOUND))
            continue
        reason = is_skipped_by_rule(route.name)
        if reason is not None:
            left_out[route.pattern] = reason
            continue
        found = kwargs_for(route, world)
        if isinstance(found, str):
            left_out[route.pattern] = found
            continue
        for kwargs in found:
            visit.append((route.view_name, reverse(route.name, kwargs=kwargs)))
    return visit, left_out


# --- Reading a screen -------------------------------------------------------------------

READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
BUTTON_INPUTS = {"submit", "button", "reset"}
# Keys of the admin's JSON props (the sidebar's menu, wagtail-config's strings, the
# editor's panels) whose values people read; the others hold names, addresses,
# icons, field values and settings.
WORDS = {
    "label",
    "footer_text",
    "help_text",
    "display_name",
    "title",
    "text",
    "heading",
    "description",
    "placeholder",
    "message",
    "MONTHS",
    "WEEKDAYS",
    "WEEKDAYS_SHORT",
    "SINGULAR",
    "PLURAL",
    "ALL",
    "ALL_IN_LISTING",
}
PYTHON_VALUES = {"None", "True", "False"}
# Props holding a rendered HTML fragment are read as HTML.
HTML_IN_JSON = {"html"}


class ScreenReader(HTMLParser):
    """Collects what a person sees or hears on a screen: text, labels, tooltips, props."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.strings: list[tuple[str, str]] = []  # (where, text)
        self.html_lang: str | None = None
        self._stack: list[str] = []
        self._json: list[str] | None = None
        self._in_title = False
        self._in_body = False
        self._hidden_depth = 0  # stack depth of the outermost element with ``hidden``

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.html_lang = attributes.get("lang")
        for attribute in READ_ATTRIBUTES:
            if attributes.get(attribute):
                self.strings.append((attribute, attributes[attribute]))
        # An input button shows its value; a <button>'s value is sent, not shown
        # (the wizard's "go to step" buttons carry step names there).
        if tag == "input" and attributes.get("type") in BUTTON_INPUTS and attributes.get("value"):
            self.strings.append(("value", attributes["value"]))
        if tag == "script" and attributes.get("type") == "application/json":
            self._json = []
        if tag not in ("input", "img", "br", "hr", "meta", "link", "source", "col", "wbr", "area"):
            self._stack.append(tag)
        # The document's title, not an SVG icon's <title> (read as text, a tooltip).
        self._in_body = self._in_body or tag == "body"
        self._in_title = (tag == "title" and not self._in_body) or self._in_title
        if "hidden" in attributes:
            self._hidden_depth = self._hidden_depth or len(self._stack)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._json is not None:
            self._read_json("".join(self._json))
            self._json = None
        if tag == "title":
            self._in_title = False
        if tag in self._stack:  # a stray end tag closes nothing
            while self._stack.pop() != tag:
                pass
        if len(self._stack) < self._hidden_depth:
            self._hidden_depth = 0

    def handle_data(self, data: str) -> None:
        if self._json is not None:
            self._json.append(data)
            return
        if self._stack and self._stack[-1] in ("script", "style"):
            return
        if not data.strip():
            return
        if self._hidden_depth and data.strip() in PYTHON_VALUES:
            # A counter JavaScript fills in later, rendered empty as Python's None.
            return
        self.strings.append(("<title>" if self._in_title else "text", data))

    def _read_json(self, source: str) -> None:
        try:
            value = json.loads(source)
        except ValueError:
            return

        def walk(node, key: str | None) -> None:
            if isinstance(node, dict):
                for k, v in node.items():
                    walk(v, k)
            elif isinstance(node, list):
                for item in node:
                    walk(item, key)
            elif isinstance(node, str) and key in HTML_IN_JSON:
                self.feed_fragment(node)
            elif isinstance(node, str) and key in WORDS:
                self.strings.append(("json", node))

        walk(value, None)

    def feed_fragment(self, html: str) -> None:
        inner = ScreenReader()
        inner.feed(html)
        inner.close()
        self.strings.extend(inner.strings)


def normalise(text: str) -> str:
    return " ".join(text.split())


def read_screen(content: str) -> ScreenReader:
    reader = ScreenReader()
    reader.feed(content)
    reader.close()
    return reader


def candidates(text: str) -> list[str]:
    """The forms in which a shown string may be a catalogue's message.

    Labels carry their required mark or a colon beside the message ("Page title*",
    "Decided by:"); the message is the text without them.
    """
    text = normalise(text)
    out = [text]
    trimmed = text.rstrip(":*…").strip()
    if trimmed and trimmed != text:
        out.append(trimmed)
    return out


def page_kinds(school) -> list[Page]:
    """One live page of each page type, the school's own where it has one."""
    chosen: dict[type, Page] = {}
    pages = Page.objects.specific().order_by("depth", "pk")
    for inside in (True, False):
        queryset = pages.filter(path__startswith=school.root_page.path) if inside else pages
        for page in queryset.exclude(depth=1):
            chosen.setdefault(type(page), page)
    return list(chosen.values())


def creatable(pages: list[Page]) -> list[tuple[type[Page], Page]]:
    """(page type, a parent it may be added under) for each type that can be added."""
    from wagtail.models import get_page_models

    out = []
    for model in get_page_models():
        if model is Page or not model.is_creatable:
            continue
        parent = next(
            (p for p in pages if model in p.specific_class.creatable_subpage_models()), None
        )
        if parent is not None and model.can_create_at(parent):
            out.append((model, parent))
    return out
