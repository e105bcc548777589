"""The trivial view: the project's whole middleware stack and nothing else."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def hello(request: HttpRequest) -> HttpResponse:
    """Answer a few bytes, so its rate is the ceiling of any page of the project.

    ``never_cache`` keeps it out of the page cache: the ceiling is a view that runs
    on every request (through the page cache's lookup, as every page does), not a
    stored copy.
    """
    return HttpResponse(b"hello", content_type="text/plain")
