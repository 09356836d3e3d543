from django.urls import path

from xinzhi.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.cockpit, name="cockpit"),
    path("screen/", views.screen, name="screen"),
    path("compare/", views.compare, name="compare"),
    path("targets/import/", views.target_import, name="target_import"),
    path("targets/import/template.xlsx", views.target_import_template, name="target_template"),
]

# 目标 (target), 手工填报值 (value), 全市排名 (ranking): the same four pages each.
for kind, prefix in (("targets", "target"), ("values", "value"), ("rankings", "ranking")):
    extra = {"kind": kind}
    urlpatterns += [
        path(f"{kind}/", views.row_list, extra, name=f"{prefix}_list"),
        path(f"{kind}/new/", views.row_form, extra, name=f"{prefix}_create"),
        path(f"{kind}/<int:pk>/edit/", views.row_form, extra, name=f"{prefix}_edit"),
        path(f"{kind}/<int:pk>/delete/", views.row_delete, extra, name=f"{prefix}_delete"),
    ]
