"""The triage queue's URLs, mounted in the Wagtail admin under ``tiep-nhan-thong-tin/``.

Being inside the admin gives them its sign-in; each view asks ``concerns.policy``
about the user and the concern. Decisions are POSTs under the item.
"""

from django.urls import path

from concerns.views import triage

app_name = "triage"

urlpatterns = [
    path("", triage.queue, name="queue"),
    path("ghi-nhan/", triage.log, name="log"),
    path("<int:pk>/", triage.item, name="item"),
    path("<int:pk>/mo-ho-so/", triage.open_case, name="open_case"),
    path("<int:pk>/gan-ho-so/", triage.attach, name="attach"),
    path("<int:pk>/tra-loi/", triage.reply, name="reply"),
    path("<int:pk>/dong/", triage.close, name="close"),
    path("<int:pk>/mo-lai/", triage.reopen, name="reopen"),
    path("<int:pk>/khong-phai-thu-rac/", triage.release, name="release"),
    path("<int:pk>/giu-lai/", triage.keep_aside, name="keep_aside"),
    path("<int:pk>/tep/<int:file_pk>/", triage.attachment, name="attachment"),
]
