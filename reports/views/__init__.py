"""The report screens: the school's (school.py); the district's live beside them."""
