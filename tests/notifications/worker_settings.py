"""Settings of the real task worker that tests/notifications/test_worker_killed.py starts
and kills: the test settings, with tasks in the database (as in deployment) and e-mail
over SMTP to the test's sink (EMAIL_HOST, EMAIL_PORT from the environment)."""

from config.settings.test import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
