"""Alerts: who must act is told at once, in the admin and by an e-mail with no child data.

Events of the case area, the front door and the page workflow are turned into
:class:`~notifications.models.Notification` rows by :mod:`notifications.receivers`
(connected in ``ready()``; no other app imports this one). An e-mail is a row of the
outbox (:class:`~notifications.models.OutgoingMail`) sent by a background task
(:mod:`notifications.tasks`, django-tasks with its database backend), retried with
backoff and never sent twice. Deadlines are found by the periodic
``notify_due_deadlines`` command.
"""
