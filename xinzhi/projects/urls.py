from django.urls import path

from xinzhi.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("export.xlsx", views.project_export, name="export"),
    path("new/", views.project_create, name="create"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/milestones/", views.milestones_edit, name="milestones_edit"),
    path("<int:pk>/milestones/<int:milestone_id>/", views.milestone_edit, name="milestone_edit"),
    path("<int:pk>/reports/new/", views.report_create, name="report_create"),
    path("<int:pk>/issues/new/", views.issue_create, name="issue_create"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("reports/due/", views.reports_due, name="reports_due"),
    path("issues/", views.issue_list, name="issue_list"),
    path("issues/<int:pk>/close/", views.issue_close, name="issue_close"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("funded/", views.funded_list, name="funded_list"),
    path("funded/export.xlsx", views.funded_export, name="funded_export"),
    path("funded/new/", views.funded_create, name="funded_create"),
    path("funded/<int:pk>/", views.funded_detail, name="funded_detail"),
    path("funded/<int:pk>/edit/", views.funded_edit, name="funded_edit"),
    path("funded/<int:pk>/stage/", views.funded_stage, name="funded_stage"),
]
