"""The learners of each school (học sinh), kept once so that a concern, an intake and
later the counselling log pick a learner instead of retyping a child's name.

Identifying details are encrypted like case data; a learner is found by exact name or
personal ID through keyed hashes. The list is case data: only the school's case roles
(and its administrator, who imports the class lists) reach it.
"""
