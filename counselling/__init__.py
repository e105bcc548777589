"""The counselling log (Sổ theo dõi tư vấn) and the school's awareness activities.

Thông tư 18/2025/TT-BGDĐT folded school counselling into the social-work duty: most of
a counsellor's work is a pupil who comes in once about exam stress, not a protection
case. An entry is a minute's record of such a session; an activity is a talk, a club
meeting or a week of action. Both are counted in the school's reports; an entry's notes
are encrypted like case data and only the school's counselling team and principals
read entries. Everyone else, the district included, sees counts (reports app).
"""
