"""URLs of the actions on a case (decisions, referral, closing) and of "Việc cần làm"."""

urlpatterns: list = []
