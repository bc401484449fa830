"""For platform admins: role management (who is planner, coordinator or editor of what) and
login security (lockouts, second-factor resets)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from quartier.accounts import lockout
from quartier.accounts.forms import RoleAssignmentForm, UsernameForm
from quartier.accounts.models import RoleAssignment
from quartier.accounts.security import login_unlock, two_factor_reset
from quartier.accounts.services import role_assign, role_revoke
from quartier.core.permissions import permission_required

PAGE_SIZE = 50


@permission_required("accounts.manage_roles")
@require_http_methods(["GET", "POST"])
def role_list(request: HttpRequest) -> HttpResponse:
    form = RoleAssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        role_assign(
            by=request.user,
            user=data["username"],
            role=data["role"],
            area=data["area"],
            organisation=data["organisation"],
        )
        messages.success(request, _("The role has been assigned."))
        return redirect("backoffice:accounts:roles")
    assignments = (
        RoleAssignment.objects.active()
        .select_related("user", "area", "organisation")
        .order_by("user__username", "role")
    )
    query = request.GET.get("q", "").strip()[:100]
    if query:
        assignments = assignments.filter(user__username__icontains=query)
    page = Paginator(assignments, PAGE_SIZE).get_page(request.GET.get("page"))
    status = 422 if form.is_bound else 200
    return render(
        request,
        "accounts/backoffice/roles.html",
        {"page": page, "form": form, "query": query},
        status=status,
    )


@require_POST
@permission_required("accounts.manage_roles")
def role_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(RoleAssignment.objects.select_related("user"), pk=pk)
    role_revoke(by=request.user, assignment=assignment)
    messages.success(request, _("The role has been withdrawn."))
    return redirect("backoffice:accounts:roles")


@never_cache
@permission_required("accounts.manage_security")
@require_http_methods(["GET", "POST"])
def security(request: HttpRequest) -> HttpResponse:
    """Locked logins with their unlock buttons, and the reset of a user's second factor."""
    form = UsernameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.cleaned_data["username"]
        two_factor_reset(by=request.user, user=user, language=get_language())
        messages.success(
            request,
            _("The two-factor login of %(username)s is reset; it is set up anew at the next login.")
            % {"username": user.username},
        )
        return redirect("backoffice:accounts:security")
    return render(
        request,
        "accounts/backoffice/security.html",
        {
            "form": form,
            "usernames": lockout.locked_usernames(),
            "addresses": lockout.locked_addresses(),
            "minutes": lockout.minutes(),
        },
        status=422 if form.is_bound else 200,
    )


@require_POST
@permission_required("accounts.manage_security")
def unlock(request: HttpRequest) -> HttpResponse:
    username = request.POST.get("username", "").strip()[:150]
    address = request.POST.get("ip_address", "").strip()[:45]
    if not (username or address):
        messages.error(request, _("Name a username or an address to unlock."))
        return redirect("backoffice:accounts:security")
    login_unlock(by=request.user, username=username, ip_address=address)
    messages.success(
        request, _("Unlocked: %(what)s.") % {"what": " / ".join(filter(None, [username, address]))}
    )
    return redirect("backoffice:accounts:security")
