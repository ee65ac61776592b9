from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import LoginForm


def login_view(request):
    if request.user.is_authenticated:
        return redirect("core:home")
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.user)
        next_url = request.POST.get("next") or request.GET.get("next")
        if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
            return redirect(next_url)
        return redirect("core:home")
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
