"""The principal's review of what editors submit for publication."""

from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask, TaskState


def _submitter(obj):
    """Who submitted the object's current workflow, or None."""
    workflow_state = getattr(obj, "current_workflow_state", None)
    return workflow_state.requested_by if workflow_state else None


class PrincipalApprovalTask(AbstractGroupApprovalTask):
    """Approval by the school leadership (Ban giám hiệu), never by the person who submitted.

    Wagtail's group approval lets a member of the group approve their own
    submission; a principal who drafts a page must have another member of the
    leadership review it.
    """

    def _is_submitter(self, obj, user) -> bool:
        submitter = _submitter(obj)
        return submitter is not None and submitter.pk == user.pk

    def get_actions(self, obj, user) -> list:
        if self._is_submitter(obj, user):
            return []
        return super().get_actions(obj, user)

    def on_action(self, task_state: TaskState, user, action_name: str, **kwargs) -> None:
        # The admin only offers actions from get_actions, but a crafted POST must
        # meet the same rule on the server.
        if action_name == "approve" and self._is_submitter(
            task_state.workflow_state.content_object, user
        ):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(_("You cannot approve your own submission."))
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        return (
            super()
            .get_task_states_user_can_moderate(user, **kwargs)
            .exclude(workflow_state__requested_by=user)
        )

    @classmethod
    def get_description(cls) -> str:
        return _("Members of the chosen groups approve, except the person who submitted.")

    class Meta:
        verbose_name = _("principal approval")
        verbose_name_plural = _("principal approvals")
