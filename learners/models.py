"""Học sinh của trường: one learner of one school."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from forms_app.encryption import blind_index
from forms_app.fields import EncryptedDateField, EncryptedTextField


class Learner(models.Model):
    """A learner on the school's roll, as the school information system (VnEdu, MISA
    EMIS) lists them: name, class, date of birth and the 12-digit personal ID.

    Name, date of birth, gender and personal ID are encrypted; the class stays in
    clear so the list can be filtered and sorted by class, and a class alone names
    nobody.
    """

    # Whose learner
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("school"),
        on_delete=models.CASCADE,
        related_name="learners",
    )
    # Who, encrypted; found by exact name or ID through the keyed hashes below
    full_name = EncryptedTextField(_("full name"), max_length=255)
    name_index = models.CharField(max_length=64, db_index=True, editable=False)
    birth_date = EncryptedDateField(_("date of birth"), null=True, blank=True)
    gender = EncryptedTextField(_("gender"), max_length=16, blank=True)
    personal_id = EncryptedTextField(_("personal ID number"), max_length=12, blank=True)
    personal_id_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    # Where in the school, in clear
    class_name = models.CharField(_("class"), max_length=32, blank=True, db_index=True)
    # A learner who left stays, so the concerns and cases naming them keep their link
    on_roll = models.BooleanField(_("on the roll"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("learner")
        verbose_name_plural = _("learners")
        ordering = ["class_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "personal_id_index"],
                condition=~models.Q(personal_id_index=""),
                name="learner_unique_personal_id_per_school",
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.class_name})" if self.class_name else self.full_name

    def save(self, *args, **kwargs) -> None:
        """Keeps both keyed hashes in step with the encrypted values they find."""
        self.name_index = blind_index(self.full_name or "")
        self.personal_id_index = blind_index(self.personal_id or "")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "name_index", "personal_id_index"}
        super().save(*args, **kwargs)

    @classmethod
    def named(cls, name: str) -> models.Q:
        """A filter for learners with exactly this name (any case, with or without diacritics)."""
        index = blind_index(name)
        return models.Q(name_index=index) if index else models.Q(pk__in=[])
