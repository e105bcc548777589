"""The counselling log's screens in the admin: the entries (entries.py) and the
awareness activities (activities.py).

Every view asks :mod:`counselling.policy` first and answers 404 to anybody else (a
stranger's entry, too); what it shows or changes is then written to the access
audit, naming entries and activities by id, never a learner. The views are classes
naming their model so the admin's crawler (tests/admin_i18n) fills their URLs.
"""
