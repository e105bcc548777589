"""One admin page per guide, in the admin's frame."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from guides.catalogue import GUIDES, guide_by_slug


def guide(request: HttpRequest, slug: str) -> HttpResponse:
    """Any signed-in staff member may read every guide: they hold no case data."""
    found = guide_by_slug(slug)
    if found is None:
        raise Http404
    return render(
        request,
        "guides/guide.html",
        {"guide": found, "guides": GUIDES, "body_template": found.template_name()},
    )
