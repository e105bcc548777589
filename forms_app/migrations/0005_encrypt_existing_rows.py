"""Case data at rest, part 2: every clear value is encrypted in place.

In batches, keyed by primary key; the learner name index is filled on the way.
A value that already decrypts is left alone, so an interrupted run can be run
again. Reversing decrypts in place (with the keys of the settings), after which
0004's reverse casts the columns back to their old types.
"""

from django.db import migrations

from forms_app.encryption import InvalidToken, blind_index, decrypt_text

BATCH = 500

ENCRYPTED = {
    "case": [
        "learner_name",
        "learner_birth_date",
        "learner_age_estimate",
        "learner_gender",
        "learner_class",
    ],
    "caseevent": ["note"],
    "intakereport": ["answers"],
    "assessment": ["answers"],
    "interventionplan": ["answers", "decision_comment"],
    "review": ["answers"],
    "referral": ["answers", "danger_exception"],
    "wizarddraft": ["steps"],
}


def _is_token(raw: str) -> bool:
    try:
        decrypt_text(raw)
    except (InvalidToken, UnicodeError, ValueError):
        return False
    return True


def _encrypted(field, raw):
    if raw is None or raw == "":
        return raw
    raw = str(raw)
    if _is_token(raw):
        return raw
    return field.encrypt_value(field.text_to_value(raw))


def _decrypted(field, raw):
    if raw is None or raw == "":
        return raw
    value = field.decrypt_stored(raw)
    return None if value is None else field.value_to_text(value)


def _rewrite(apps, schema_editor, convert, with_index: bool) -> None:
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    for model_name, names in ENCRYPTED.items():
        model = apps.get_model("forms_app", model_name)
        fields = [model._meta.get_field(name) for name in names]
        columns = [f.column for f in fields]
        index = with_index and model_name == "case"
        set_columns = [*columns, "learner_name_index"] if index else columns
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        select = f"SELECT {pk}, {', '.join(quote(c) for c in columns)} FROM {table}"
        update = (
            f"UPDATE {table} SET {', '.join(f'{quote(c)} = %s' for c in set_columns)} "
            f"WHERE {pk} = %s"
        )
        last = None
        with connection.cursor() as cursor:
            while True:
                where = f" WHERE {pk} > %s" if last is not None else ""
                params = [last] if last is not None else []
                cursor.execute(f"{select}{where} ORDER BY {pk} LIMIT {BATCH}", params)
                rows = cursor.fetchall()
                if not rows:
                    break
                for pk_value, *raws in rows:
                    values = [convert(f, raw) for f, raw in zip(fields, raws, strict=True)]
                    if index:
                        name = fields[0].decrypt_stored(values[0]) or ""
                        values.append(blind_index(name))
                    cursor.execute(update, [*values, pk_value])
                last = rows[-1][0]


def encrypt_existing(apps, schema_editor) -> None:
    _rewrite(apps, schema_editor, _encrypted, with_index=True)


def decrypt_existing(apps, schema_editor) -> None:
    _rewrite(apps, schema_editor, _decrypted, with_index=False)


class Migration(migrations.Migration):
    dependencies = [
        ("forms_app", "0004_encrypt_case_data"),
    ]

    operations = [
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
