"""An index on Wagtail's ``wagtailcore_page.url_path``, which ``find_live_page`` looks up.

Every public request for a path not yet known (every 404, every first visit after a
change) asks which page has that ``url_path``, and Wagtail does not index the column:
over a province's 106,000 pages each such request read the whole page table, 40 ms
of PostgreSQL for a 404 (issue 18's bench). Raw SQL because the table is Wagtail's.
On PostgreSQL a hash index: the lookup is by equality only, and a B-tree refuses an
entry longer than about 2,700 bytes, which a deep tree of long slugs could reach.
"""

from django.db import migrations

INDEX = "pages_wagtailcore_page_url_path"


def create(apps, schema_editor) -> None:
    method = "USING hash " if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page {method}(url_path)"
    )


def drop(apps, schema_editor) -> None:
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0004_plan_parent_body"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
