from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import reverse
from django.utils.decorators import method_decorator

from xinzhi.accounts import permissions
from xinzhi.accounts.forms import LoginForm
from xinzhi.accounts.models import User


def home_redirect(*, user: User) -> str | None:
    """Experts and enterprise users work elsewhere: their reviews, their own portal (我的企业)."""
    if permissions.is_reviewer(user):
        return reverse("calls:reviews")
    if permissions.is_enterprise_user(user) and user.enterprise_id:
        return reverse("portal:home")
    return None


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = "/accounts/password/done/"


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"
