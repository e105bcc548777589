"""The project's URLs with the trivial view in front of Wagtail's catch-all."""

from django.urls import path

from bench.views import hello
from config import urls as project_urls

urlpatterns = [path("bench/hello/", hello, name="bench_hello"), *project_urls.urlpatterns]

# Django reads the error handlers from the root URLconf: without these the bench's servers
# would answer a database outage with Django's plain 500, not the site's 503 page.
handler500 = project_urls.handler500
