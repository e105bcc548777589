"""Model fields whose values are encrypted in the database and clear in Python.

A value is turned into text (a date as ISO 8601, JSON with ``DjangoJSONEncoder``,
a number in digits), encrypted with :func:`forms_app.encryption.encrypt_text` and
stored as a Fernet token in a ``text`` column; reading decrypts it again. So a
database dump, a backup or a look over a DBA's shoulder shows no child's name,
birthday or story, while forms, wizards and printing see ordinary values.

What this costs, on purpose:

- **No lookups but ``isnull``.** The database sees random-looking tokens, so
  ``learner_name__iexact`` or ``answers__source`` could only ever match nothing;
  they raise :class:`EncryptedLookupError` instead of silently finding nothing.
  A learner is found through the keyed hash ``Case.learner_name_index``.
- **No ordering.** Ordering by a token sorts at random; nothing may order by
  these columns (Django offers no hook to refuse it, so this is a rule).
- **A tampered or foreign value fails loudly** with :class:`UndecryptableValue`
  rather than showing garbage or, worse, an attacker's text.

An empty string stays empty (it says nothing but "not filled in") and ``None``
stays ``NULL``, so ``blank``/``null`` keep their meaning.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django import forms
from django.core import validators as core_validators
from django.core.exceptions import FieldError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.lookups import Exact, IsNull
from django.utils.functional import cached_property

from forms_app.encryption import InvalidToken, decrypt_text, encrypt_text

__all__ = [
    "EncryptedDateField",
    "EncryptedFieldMixin",
    "EncryptedJSONField",
    "EncryptedLookupError",
    "EncryptedPositiveSmallIntegerField",
    "EncryptedTextField",
    "UndecryptableValue",
    "encrypted_fields",
]


class EncryptedLookupError(FieldError):
    """A query tried to compare an encrypted column, which can never match."""


class UndecryptableValue(ValueError):
    """A stored value that no key of ``CASE_ENCRYPTION_KEYS`` opens.

    Either it was changed outside the application, or the key it was written
    with has been removed from the ring. The message names the column, never
    the value.
    """


def _field_label(field: models.Field) -> str:
    model = getattr(field, "model", None)
    return f"{model._meta.label}.{field.name}" if model is not None else str(field.name)


class _NullOnlyExact(Exact):
    """``field=None``: Django turns it into ``isnull``; any other value is refused."""

    def __init__(self, lhs, rhs) -> None:
        if rhs is not None:
            raise EncryptedLookupError(
                f"{_field_label(lhs.output_field)} is encrypted: it cannot be compared "
                "with a value in the database."
            )
        super().__init__(lhs, rhs)


class EncryptedFieldMixin:
    """What every encrypted field shares; subclasses say how a value becomes text."""

    encrypted = True

    def get_internal_type(self) -> str:
        # A text column whatever the Python type, and no backend converter (SQLite
        # would otherwise parse a "date" column before we can decrypt it).
        return "TextField"

    def db_type(self, connection) -> str | None:
        return connection.data_types["TextField"]

    def cast_db_type(self, connection) -> str | None:
        return self.db_type(connection)

    # Text form of a value, and back. Empty text means "no value".
    def value_to_text(self, value: Any) -> str:
        raise NotImplementedError

    def text_to_value(self, text: str) -> Any:
        raise NotImplementedError

    def empty_value(self) -> Any:
        """The Python value of an empty stored string."""
        return None

    def encrypt_value(self, value: Any) -> str | None:
        """The stored form of a Python value already normalised by ``to_python``."""
        if value is None:
            return None
        text = self.value_to_text(value)
        return encrypt_text(text) if text != "" else ""

    def decrypt_stored(self, stored: str | None) -> Any:
        """The Python value of a stored token; raises :class:`UndecryptableValue`."""
        if stored is None:
            return None
        if stored == "":
            return self.empty_value()
        try:
            text = decrypt_text(stored)
        except (InvalidToken, UnicodeError, ValueError, TypeError):
            # ``from None``: the token itself must not travel into error reports.
            raise UndecryptableValue(
                f"A value of {_field_label(self)} could not be decrypted: it was changed "
                "outside the application, or the key it was encrypted with is no longer "
                "in CASE_ENCRYPTION_KEYS."
            ) from None
        return self.text_to_value(text) if text != "" else self.empty_value()

    def from_db_value(self, value, expression, connection) -> Any:
        return self.decrypt_stored(value)

    def get_prep_value(self, value) -> str | None:
        return self.encrypt_value(super().get_prep_value(value))

    def get_db_prep_value(self, value, connection, prepared: bool = False) -> str | None:
        # Skips the backend adaptation of dates and numbers: the value is text now.
        return value if prepared else self.get_prep_value(value)

    def get_lookup(self, lookup_name: str):
        if lookup_name == "isnull":
            return IsNull
        if lookup_name == "exact":
            return _NullOnlyExact
        raise EncryptedLookupError(
            f"{_field_label(self)} is encrypted: the database cannot use "
            f"'{lookup_name}' on it. Filter on a column kept in clear (or on "
            "Case.learner_name_index for a learner's exact name)."
        )

    def get_transform(self, lookup_name: str):
        raise EncryptedLookupError(
            f"{_field_label(self)} is encrypted: the database cannot look inside it "
            f"('{lookup_name}')."
        )


class EncryptedTextField(EncryptedFieldMixin, models.TextField):
    """Encrypted text. With ``max_length`` it behaves like a ``CharField`` in forms.

    The column is ``text`` either way: a token is about 1.4 times the UTF-8 size
    of the text plus 100 characters, so a ``varchar(255)`` would not hold a
    255-character Vietnamese name. ``max_length`` limits the clear text.
    """

    @cached_property
    def validators(self) -> list:
        found = [*self.default_validators, *self._validators]
        if self.max_length is not None:
            found.append(core_validators.MaxLengthValidator(self.max_length))
        return found

    def value_to_text(self, value: Any) -> str:
        return str(value)

    def text_to_value(self, text: str) -> str:
        return text

    def empty_value(self) -> str:
        return ""

    def formfield(self, **kwargs) -> forms.Field:
        if self.max_length is None:
            return super().formfield(**kwargs)
        # What a CharField gives: a one-line input with maxlength.
        return models.Field.formfield(self, **{"max_length": self.max_length, **kwargs})


class EncryptedDateField(EncryptedFieldMixin, models.DateField):
    """An encrypted date; ``datetime.date`` in Python, the date widget in forms."""

    def value_to_text(self, value: datetime.date) -> str:
        return value.isoformat()

    def text_to_value(self, text: str) -> datetime.date:
        return datetime.date.fromisoformat(text)


class EncryptedPositiveSmallIntegerField(EncryptedFieldMixin, models.PositiveSmallIntegerField):
    """An encrypted small non-negative number (an estimated age)."""

    @cached_property
    def validators(self) -> list:
        # IntegerField asks the backend for the range of the column's type, which
        # is text here; the range of a positive small integer is the same everywhere.
        return [
            *self.default_validators,
            *self._validators,
            core_validators.MinValueValidator(0),
            core_validators.MaxValueValidator(32767),
        ]

    def value_to_text(self, value: int) -> str:
        return str(int(value))

    def text_to_value(self, text: str) -> int:
        return int(text)

    def formfield(self, **kwargs) -> forms.Field:
        return super().formfield(**{"min_value": 0, "max_value": 32767, **kwargs})


class EncryptedJSONField(EncryptedFieldMixin, models.Field):
    """Encrypted JSON (a dict or a list), serialised with ``DjangoJSONEncoder``.

    Dates and decimals inside come back as the strings the encoder made of them,
    as they did from the ``JSONField`` this replaces.
    """

    empty_strings_allowed = False

    def value_to_text(self, value: Any) -> str:
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)

    def text_to_value(self, text: str) -> Any:
        return json.loads(text)

    def to_python(self, value: Any) -> Any:
        return value

    def value_to_string(self, obj) -> Any:
        return self.value_from_object(obj)

    def formfield(self, **kwargs) -> forms.Field:
        return super().formfield(
            **{"form_class": forms.JSONField, "encoder": DjangoJSONEncoder, **kwargs}
        )


def encrypted_fields(model: type[models.Model]) -> list[models.Field]:
    """The concrete encrypted fields of ``model`` (its own and inherited)."""
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedFieldMixin)]
