"""The content areas of counselling as an editable reference list, shaped like the case
area's (forms_app.admin.reference_lists): shared by every school, so an operator's."""

from counselling.models import CounsellingArea
from forms_app.admin.reference_lists import ReferenceListViewSet


class CounsellingAreaViewSet(ReferenceListViewSet):
    model = CounsellingArea
    icon = "tag"
    menu_order = 900
