"""The project's URLs with the trivial view in front of Wagtail's catch-all."""

from django.urls import path

from bench.views import hello
from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("bench/hello/", hello, name="bench_hello"), *project_urlpatterns]
