from django.urls import path

from xinzhi.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.cockpit, name="cockpit"),
    path("screen/", views.screen, name="screen"),
    path("compare/", views.compare, name="compare"),
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
# Excel imports of targets and typed-in values (目标、手工填报值批量导入).
for kind, prefix in (("targets", "target"), ("values", "value")):
    extra = {"kind": kind}
    urlpatterns += [
        path(f"{kind}/import/", views.table_import, extra, name=f"{prefix}_import"),
        path(
            f"{kind}/import/template.xlsx",
            views.table_import_template,
            extra,
            name=f"{prefix}_template",
        ),
    ]
