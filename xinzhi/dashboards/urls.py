from django.urls import path, re_path

from xinzhi.dashboards import views

app_name = "dashboards"

# 目标 (targets), 手工填报值 (values), 全市排名 (rankings): one set of pages each.
KIND = r"^manage/(?P<kind>targets|values|rankings)/"

urlpatterns = [
    path("", views.cockpit, name="cockpit"),
    path("screen/", views.screen, name="screen"),
    path("compare/", views.compare, name="compare"),
    re_path(KIND + r"$", views.row_list, name="row_list"),
    re_path(KIND + r"new/$", views.row_form, name="row_create"),
    re_path(KIND + r"(?P<pk>[0-9]+)/edit/$", views.row_form, name="row_edit"),
    re_path(KIND + r"(?P<pk>[0-9]+)/delete/$", views.row_delete, name="row_delete"),
]
