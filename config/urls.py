from django.conf import settings
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config.health import healthz
from config.language import choose_language
from pages import feeds
from pages.poster import hotline_poster
from pages.search import search

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("ngon-ngu/<str:code>/", choose_language, name="choose_language"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("tim-kiem/", search, name="search"),
    path("tin-moi/rss.xml", feeds.LatestFeed(), name="feed_rss"),
    path("tin-moi/atom.xml", feeds.AtomFeed(), name="feed_atom"),
    path("chien-dich.ics", feeds.campaigns_ical, name="campaigns_ical"),
    path("robots.txt", feeds.robots_txt, name="robots_txt"),
    path("favicon.ico", feeds.favicon, name="favicon"),
    path("sitemap.xml", feeds.sitemap, name="sitemap"),
    path("ap-phich/<str:code>/", hotline_poster, name="hotline_poster"),
    path("tro-giup/", include("pages.help_channel.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# A database outage answers the Vietnamese 503 page; any other error, Django's 500.
handler500 = "config.database_outage.server_error"

# Wagtail serves every other path from the page tree; keep this last.
urlpatterns += [path("", include(wagtail_urls))]
