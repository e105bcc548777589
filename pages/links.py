"""Page URLs as Wagtail gives them, worked out once per request instead of once per link.

Wagtail's ``get_url`` reverses its URL pattern for every page and compares the
page with every site's root; a listing or a results page has dozens of links, and
a province's portal menu a thousand, under a thousand sites. :class:`PageLinks`
works out the site roots, the current site and the pattern's prefix once for a
request; anything unusual (a non-ASCII slug, no request, internationalised URLs)
falls back to Wagtail's own ``get_url``. ``tests/pages/test_render_fragments.py``
checks it gives Wagtail's answers.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from wagtail.coreutils import WAGTAIL_APPEND_SLASH
from wagtail.models import Page, Site

from page_cache.fragments import remember

# A page path that Wagtail's own URL pattern takes as it is (ASCII slugs ending
# in "/"): its URL is the pattern's prefix followed by the path, unquoted.
PLAIN_PAGE_PATH = re.compile(r"(?:[A-Za-z0-9_\-]+/)*\Z", re.ASCII)


# The last site roots indexed, with their index: the same object until the next change.
_last_indexed: tuple[object, dict[str, list], bool] | None = None


def _indexed(roots: tuple) -> tuple[dict[str, list], bool]:
    """Roots by path, each with its place in Wagtail's order (a link looks up its own
    ancestors' paths, not every site), and whether they are all one site's.

    Built once for each ``roots`` object: a province's thousand sites took 1.4 ms.
    """
    global _last_indexed
    last = _last_indexed
    if last is not None and last[0] is roots:
        return last[1], last[2]
    by_path: dict[str, list] = {}
    for position, root in enumerate(roots):
        by_path.setdefault(root.root_path, []).append((position, root))
    single = len({root.site_id for root in roots}) == 1
    _last_indexed = (roots, by_path, single)
    return by_path, single


class PageLinks:
    """The URLs of pages for one request, as ``{% pageurl %}`` would give them."""

    def __init__(self, request: HttpRequest | None) -> None:
        self.request = request
        self.fast = bool(
            request is not None
            and WAGTAIL_APPEND_SLASH
            and not getattr(settings, "WAGTAIL_I18N_ENABLED", False)
        )
        self._by_path: dict[str, list] | None = None

    @classmethod
    def for_request(cls, request: HttpRequest | None) -> PageLinks:
        """The request's own (kept on it), or a new one without a request."""
        if request is None:
            return cls(None)
        links = getattr(request, "_page_links", None)
        if links is None:
            links = request._page_links = cls(request)
        return links

    def _prepare(self) -> dict[str, list]:
        site = Site.find_for_request(self.request)
        # Kept as a fragment (stale on any change of a site or a page's path), not read
        # from Wagtail's own cache key: for a province that is 90 KB from Redis per
        # request. Wagtail's own lookups on this request use the same list.
        # A tuple, shared by this process's requests until the next change (nothing
        # changes it), and so is the index built from it.
        roots = remember("site-root-paths", lambda: tuple(Site.get_site_root_paths()), shared=True)
        self.request._wagtail_cached_site_root_paths = roots
        by_path, self.single = _indexed(roots)
        self.site_id = site.pk if site else None
        self.prefix = reverse("wagtail_serve", args=("",))
        self._by_path = by_path
        return by_path

    def url(self, page: Page) -> str | None:
        """The page's URL: a path on the request's own site, else with its site's root."""
        if not self.fast:
            return page.get_url(request=self.request)
        by_path = self._by_path if self._by_path is not None else self._prepare()
        url_path = page.url_path or ""
        matches = [
            root
            for _position, root in sorted(
                found
                for end, char in enumerate(url_path, start=1)
                if char == "/"
                for found in by_path.get(url_path[:end], ())
            )
        ]
        if not matches:
            return page.get_url(request=self.request)
        # As Wagtail chooses: the most specific root, unless the page is also in the
        # current site (a school's section reached through its own domain).
        site_id, root_path, root_url, _language = next(
            (root for root in matches if root.site_id == self.site_id), matches[0]
        )
        rest = url_path[len(root_path) :]
        if not PLAIN_PAGE_PATH.match(rest):
            return page.get_url(request=self.request)
        path = self.prefix + rest
        if site_id == self.site_id or self.single:
            return path
        return root_url + path
