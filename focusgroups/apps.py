from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FocusGroupsConfig(AppConfig):
    """Each office's focus group: members score rostered candidates on a rubric; the leader finalises a ranking."""

    name = "focusgroups"
    verbose_name = _("Focus groups")

    def ready(self):
        from accounts.signals import invitation_accepted

        from .services.groups import members_join_on_invitation

        def _join(sender, invitation, user, **kwargs):
            members_join_on_invitation(invitation=invitation, user=user)

        # Someone invited to a group has no account yet; the account they create joins the groups that invited them.
        invitation_accepted.connect(_join, dispatch_uid="focusgroups.members_join_on_invitation", weak=False)
