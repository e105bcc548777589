"""The semester and year reports a school sends to the district, and what the district
sees of them.

A school's report is figures computed from its cases, counselling log and activities
(figures.py), charts and tables drawn from them, and a few paragraphs the principal
writes; submitting freezes a version (figures and text) for the district. The district
side reads those frozen figures and a few per-school counts only, never a case or a log
entry, and hides small numbers (rollup.py, suppression.py).
"""
