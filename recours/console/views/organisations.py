"""The console's home, organisations, their members and their activity log."""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from recours.console import domain
from recours.console.access import (
    CAN_EDIT,
    campaigns_of,
    can_moderate,
    organisation_for,
    organisations_of,
    roles_of,
    verified_member_required,
)
from recours.console.activity import ACTIONS, first_broken_position
from recours.console.forms import (
    ExistingAccountForm,
    InvitationForm,
    NewAccountForm,
    OrganisationForm,
)
from recours.console.models import ActivityEntry, Membership, Role
from recours.console.views.signin import start_pending
from recours.core.ratelimit import Rule, client_ip, hit, network_of, refusal_response

ACTIVITY_PAGE = 50


@verified_member_required
def home(request):
    user = request.user
    context = {
        "organisations": [
            (
                organisation,
                Role(role).label if (role := roles_of(user).get(organisation.pk)) else "",
            )
            for organisation in organisations_of(user)
        ],
        "campaigns": campaigns_of(user),
        "can_moderate": can_moderate(user),
    }
    return render(request, "console/home.html", context)


@verified_member_required
def organisation_new(request):
    """Superusers create an organisation and invite its first member."""
    if not request.user.is_superuser:
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, prefix="organisation")
    invitation = InvitationForm(request.POST or None, prefix="invitation")
    if request.method == "POST" and form.is_valid() and invitation.is_valid():
        with transaction.atomic():
            organisation = domain.create_organisation(organisation=form.instance, by=request.user)
            domain.invite_member(
                organisation=organisation,
                email=invitation.cleaned_data["email"],
                role=invitation.cleaned_data["role"],
                by=request.user,
            )
        return redirect("console:organisation", organisation.pk)
    status = 400 if form.errors or invitation.errors else 200
    return render(
        request,
        "console/organisation_new.html",
        {"form": form, "invitation": invitation},
        status=status,
    )


@verified_member_required
def organisation(request, pk):
    organisation = organisation_for(request.user, pk)
    role = "organiser" if request.user.is_superuser else roles_of(request.user)[organisation.pk]
    editor = role in CAN_EDIT
    form = OrganisationForm(request.POST if "name" in request.POST else None, instance=organisation)
    invitation = InvitationForm(request.POST if "email" in request.POST else None)
    if request.method == "POST":
        if not editor:
            raise PermissionDenied
        if form.is_bound and form.is_valid():
            domain.update_organisation(
                organisation=form.instance, changed=form.changed_data, by=request.user
            )
            return redirect("console:organisation", pk)
        if invitation.is_bound and invitation.is_valid():
            domain.invite_member(
                organisation=organisation,
                email=invitation.cleaned_data["email"],
                role=invitation.cleaned_data["role"],
                by=request.user,
            )
            return redirect("console:organisation", pk)
    context = {
        "organisation": organisation,
        "editor": editor,
        "form": form,
        "invitation": invitation,
        "members": Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__username"),
        "invitations": organisation.invitations.filter(used_at__isnull=True)[:20],
        "campaigns": campaigns_of(request.user).filter(organisation=organisation),
    }
    status = 400 if form.errors or invitation.errors else 200
    return render(request, "console/organisation.html", context, status=status)


@verified_member_required
@require_POST
def member_remove(request, pk, member_pk):
    organisation = organisation_for(request.user, pk, CAN_EDIT)
    membership = get_object_or_404(Membership, pk=member_pk, organisation=organisation)
    if membership.user_id == request.user.pk:
        raise PermissionDenied  # an organisation is never left without its last organiser
    domain.remove_member(membership=membership, by=request.user)
    return redirect("console:organisation", pk)


@verified_member_required
def activity(request, pk):
    organisation = organisation_for(request.user, pk)
    entries = ActivityEntry.objects.filter(organisation=organisation).select_related("campaign")
    page = Paginator(entries.order_by("-position"), ACTIVITY_PAGE).get_page(request.GET.get("page"))
    context = {
        "organisation": organisation,
        "page": page,
        "actions": ACTIONS,
        "broken_at": first_broken_position(organisation),
    }
    return render(request, "console/activity.html", context)


def accept(request, token):
    """An invitation's link: a new account (or the existing account of that address)
    joins the organisation, then enrols or checks its second factor."""
    try:
        invitation = domain.usable_invitation(token)
    except domain.InvitationProblem as problem:
        return render(
            request, "console/invitation_problem.html", {"problem": str(problem)}, status=410
        )
    existing = User.objects.filter(email__iexact=invitation.email, is_active=True).first()
    form_class = ExistingAccountForm if existing else NewAccountForm
    form = form_class(request.POST or None)
    if request.method == "POST":
        limit = Rule("invitation-network", 20, 900)
        if refusal := hit(limit, network_of(client_ip(request))):
            return refusal_response(request, refusal, "core/too_many_logins.html")
        if form.is_valid():
            if existing and not existing.check_password(form.cleaned_data["password"]):
                form.add_error("password", _("Ce mot de passe n'est pas celui de ce compte."))
            else:
                try:
                    user = domain.accept_invitation(
                        token=token,
                        user=existing,
                        username=form.cleaned_data.get("username", ""),
                        password=form.cleaned_data["password"],
                    )
                except domain.InvitationProblem as problem:
                    return render(
                        request,
                        "console/invitation_problem.html",
                        {"problem": str(problem)},
                        status=410,
                    )
                start_pending(request, user, "")
                return redirect("console:enrol")  # which sends on to the second factor if any
    context = {"invitation": invitation, "form": form, "existing": existing}
    return render(request, "console/accept.html", context, status=400 if form.errors else 200)
