"""What the page cache must remember outside Redis."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MissedGeneration(models.Model):
    """A public change whose new generation could not be written to Redis.

    Redis kept the old generation (a network cut, not a restart), so once it answers
    again every node would serve the pages it held from before the change. The row
    stays until a new generation has been written (``page_cache.invalidation``).
    """

    missed_at = models.DateTimeField(_("missed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("missed page-cache change")
        verbose_name_plural = _("missed page-cache changes")

    def __str__(self) -> str:
        return f"{self.missed_at:%Y-%m-%d %H:%M:%S}"
