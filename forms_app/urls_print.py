"""URLs of the printable layout and the PDF of each record (Mẫu 01–04)."""

urlpatterns: list = []
