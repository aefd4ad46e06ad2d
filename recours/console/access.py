"""Who may see and do what in the console.

A member reaches the console only after a second factor (`VERIFIED` in the session, set
by the sign-in views once the factor checks out). Campaigns belong to organisations: a
campaign of an organisation one is not a member of does not exist for them (404), while a
role too weak for an action is refused plainly (403). Superusers see everything.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from recours.campaigns.models import Campaign, Organisation
from recours.console.models import Membership, Role

VERIFIED = "console_verified"
# What each role may do; an organiser may do everything a viewer may.
CAN_EDIT = {Role.ORGANISER}
CAN_SEE_FIGURES = {Role.ORGANISER, Role.VIEWER}
CAN_MODERATE = {Role.MODERATOR}


def verified_member_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_authenticated and request.session.get(VERIFIED)):
            return redirect_to_login(request.get_full_path(), reverse("console:login"))
        return view(request, *args, **kwargs)

    return wrapped


def roles_of(user) -> dict[int, str]:
    """Organisation id → the user's role there (cached on the user for the request)."""
    if not hasattr(user, "_console_roles"):
        user._console_roles = dict(
            Membership.objects.filter(user=user).values_list("organisation_id", "role")
        )
    return user._console_roles


def organisations_of(user):
    if user.is_superuser:
        return Organisation.objects.order_by("name")
    return Organisation.objects.filter(pk__in=roles_of(user)).order_by("name")


def campaigns_of(user):
    visible = Campaign.objects.select_related("organisation").order_by("-created_at")
    if user.is_superuser:
        return visible
    figures = [org for org, role in roles_of(user).items() if role in CAN_SEE_FIGURES]
    return visible.filter(organisation_id__in=figures)


def organisation_for(user, pk: int, roles: set[str] | None = None) -> Organisation:
    """The organisation if `user` belongs to it (404 otherwise) with one of `roles`
    (403 otherwise; any role when None)."""
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        raise Http404
    _check_role(user, organisation.pk, roles)
    return organisation


def campaign_for(user, slug: str, roles: set[str]) -> Campaign:
    campaign = Campaign.objects.select_related("organisation").filter(slug=slug).first()
    if campaign is None:
        raise Http404
    _check_role(user, campaign.organisation_id, roles)
    return campaign


def _check_role(user, organisation_id: int, roles: set[str] | None) -> None:
    if user.is_superuser:
        return
    role = roles_of(user).get(organisation_id)
    if role is None:
        raise Http404
    if roles is not None and role not in roles:
        raise PermissionDenied


def can_edit(user, campaign: Campaign) -> bool:
    return user.is_superuser or roles_of(user).get(campaign.organisation_id) in CAN_EDIT


def can_moderate(user) -> bool:
    return user.is_superuser or any(role in CAN_MODERATE for role in roles_of(user).values())


def require_moderator(user) -> None:
    if not can_moderate(user):
        raise PermissionDenied


def moderating_organisation(user) -> Organisation | None:
    """Where a moderator's actions are logged: their first organisation as moderator."""
    for organisation_id, role in sorted(roles_of(user).items()):
        if role in CAN_MODERATE:
            return Organisation.objects.get(pk=organisation_id)
    return None
