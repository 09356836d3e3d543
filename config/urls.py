from django.contrib import admin
from django.urls import include, path

from xinzhi.api.urls import api_urls

urlpatterns = [
    path("", include("xinzhi.core.urls")),
    path("accounts/", include("xinzhi.accounts.urls")),
    path("enterprises/", include("xinzhi.enterprises.urls")),
    path("cultivation/", include("xinzhi.cultivation.urls")),
    path("attraction/", include("xinzhi.attraction.urls")),
    path("calls/", include("xinzhi.calls.urls")),
    path("jobs/", include("xinzhi.jobs.urls")),
    path("projects/", include("xinzhi.projects.urls")),
    path("rewards/", include("xinzhi.rewards.urls")),
    path("chains/", include("xinzhi.chains.urls")),
    path("portal/", include("xinzhi.portal.urls")),
    path("notifications/", include("xinzhi.notifications.urls")),
    path("finance/", include("xinzhi.finance.urls")),
    path("ecosystem/", include("xinzhi.ecosystem.urls")),
    path("dashboards/", include("xinzhi.dashboards.urls")),
    path("briefings/", include("xinzhi.briefings.urls")),
    path("api/", api_urls()),
    path("admin/", admin.site.urls),
]

handler404 = "xinzhi.core.views.page_not_found"
handler403 = "xinzhi.core.views.permission_denied"
handler500 = "xinzhi.core.views.server_error"
