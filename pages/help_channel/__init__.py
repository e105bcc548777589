"""The school's online help channel ("Nhắn tin cho thầy cô tư vấn"), public side.

A pupil or parent writes to the school's counselling team, anonymously unless they
choose to leave a way to be reached, and gets a tracking code and a secret phrase
with which they come back to read the replies and answer. Everything about the
request crosses to the case side through ``concerns.gateway`` alone; these views add
what the public side owns: the forms, the anti-abuse checks that need the request
(honeypot, time token, the visitor's address), and pages that nothing keeps (no
page cache, ``no-store``, no referrer, the quick exit ends the visit).
"""
