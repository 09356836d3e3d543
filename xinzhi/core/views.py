from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from xinzhi.core import selectors
from xinzhi.core.home import home_redirect


def home(request: HttpRequest) -> HttpResponse:
    # Experts and enterprises have one place to work; the district overview is not theirs.
    if url := home_redirect(user=request.user):
        return redirect(url)
    context = {
        "overview": selectors.overview(user=request.user),
        "todo": selectors.todo(user=request.user),
    }
    return render(request, "core/home.html", context)


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


@login_not_required
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


@login_not_required
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "errors/403.html", {"reason": str(exception)}, status=403)


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)
