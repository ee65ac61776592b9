from functools import wraps

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .filtersets import SecurityEventFilterSet
from .forms import LoginForm, PasswordChangeForm
from .models import SecurityEvent
from .pages import PAGE_SIZES, paginate, render_list, submit_form
from .selectors import security_events_visible_to
from .services import password_change as password_change_service
from .services import security_log_retention_days
from .xlsx import xlsx_response


def login_view(request):
    if request.user.is_authenticated:
        return redirect("core:home")
    # The form's validation checks the password, the lockout and writes the security events (core.forms.LoginForm).
    form = LoginForm(request, data=request.POST or None)

    def next_page(_user):
        next_url = request.POST.get("next") or request.GET.get("next")
        if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
            return next_url
        return "core:home"

    done = submit_form(request, form, lambda _data: login(request, form.user), success=None, redirect_to=next_page)
    if done:
        return done
    return render(request, "core/login.html", {"form": form, "next": request.GET.get("next", "")})


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("core:login")


@login_required
def home(request):
    """Each role lands where its work is; the dashboards (reports) take over once they exist."""
    from django.urls import NoReverseMatch, reverse

    for name in ("reports:dashboard", "campaign:org_chart"):
        try:
            return redirect(reverse(name))
        except NoReverseMatch:
            continue
    return redirect("admin:index")


@login_required
def notifications(request):
    items = request.user.notifications.all()[:100]
    response = render(request, "core/notifications.html", {"items": items})
    request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    return response


@login_required
def password_change(request):
    """Every user changes their own password here; a temporary password leads here until it is changed."""
    form = PasswordChangeForm(request.user, data=request.POST or None)

    def change(data):
        user = password_change_service(user=request.user, new_password=data["new_password1"])
        update_session_auth_hash(request, user)  # this session stays signed in; the others end
        return user

    done = submit_form(
        request, form, change, success=_("Your password has been changed."), redirect_to=lambda _user: "core:home"
    )
    if done:
        return done
    status = 400 if request.method == "POST" else 200
    return render(
        request, "core/password_change.html", {"form": form, "forced": request.user.must_change_password}, status=status
    )


def office_only(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.is_office:
            raise PermissionDenied(_("Only the campaign office may read the security log."))
        return view(request, *args, **kwargs)

    return wrapper


def _security_filter(request):
    return SecurityEventFilterSet(
        request.GET or None, queryset=security_events_visible_to(request.user), request=request
    )


@office_only
def security_log(request):
    """Sign-ins, sign-outs, failures, lockouts, password changes and API tokens (等保 2.0 安全审计)."""
    filterset = _security_filter(request)
    status = 200 if not filterset.is_bound or filterset.is_valid() else 400
    page = paginate(request, filterset.qs)
    context = {
        "filter": filterset,
        "page": page,
        "page_sizes": PAGE_SIZES,
        "retention_days": security_log_retention_days(),
    }
    response = render_list(request, "core/security_log.html", "core/_security_log_table.html", context)
    response.status_code = status
    return response


@office_only
def security_log_export(request):
    """The same filter as the page, as an .xlsx ledger."""
    filterset = _security_filter(request)
    if filterset.is_bound and not filterset.is_valid():
        return JsonResponse({field: [str(e) for e in errors] for field, errors in filterset.errors.items()}, status=400)
    kinds = dict(SecurityEvent.Kind.choices)
    rows = (
        (
            created_at,
            str(kinds.get(kind, kind)),
            username,
            account,
            ip_address or "",
            user_agent,
            SecurityEvent.detail_label(detail),
        )
        for created_at, kind, username, account, ip_address, user_agent, detail in filterset.qs.values_list(
            "created_at", "kind", "username", "user__username", "ip_address", "user_agent", "detail"
        ).iterator(chunk_size=2000)
    )
    headers = [_("At"), _("Event"), _("Username as given"), _("Account"), _("Address"), _("User agent"), _("Detail")]
    filename = _("security-log") + timezone.localdate().strftime("-%Y%m%d") + ".xlsx"
    return xlsx_response(filename=filename, headers=headers, rows=rows, sheet_title=_("Security log"))
