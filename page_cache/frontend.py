"""Ask the caching proxy in front (deploy/varnish) to drop every stored page.

Wagtail's front-end cache invalidation (``wagtail.contrib.frontend_cache``)
purges a published page's own URL; but a new campaign also changes the home
page and the campaign listing, and a hotline shows on every page. So, alongside
Wagtail's per-page PURGE, every change that starts a new page-cache generation
sends one ``BAN`` to each proxy named in ``FRONTEND_CACHE_PURGE_URL``, which the
shipped VCL answers by dropping everything it holds.

Failures are logged and swallowed: publishing must not fail because the proxy
is down (its entries then expire after ``PAGE_CACHE_PROXY_MAX_AGE``).
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request

from django.conf import settings

logger = logging.getLogger(__name__)


def purge_all() -> None:
    """Send ``BAN /`` to every configured proxy; log, never raise, on failure."""
    for location in settings.FRONTEND_CACHE_PURGE_URLS:
        request = urllib.request.Request(location.rstrip("/") + "/", method="BAN")
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                response.read()
        except (OSError, urllib.error.URLError) as error:
            logger.warning("Could not purge the caching proxy at %s: %s", location, error)
