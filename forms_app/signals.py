"""What the case area tells its neighbours without importing them.

``case_opened`` is sent once a case is created from a wizard draft, with the draft's
``source`` ("concern:12", or "" when typed from scratch), so the app that owns the
source links it to the case (the case area never imports the front door).
"""

from django.dispatch import Signal

# Arguments: case, source (str), user
case_opened = Signal()
