from django.urls import path

from xinzhi.enterprises import views

app_name = "enterprises"
urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("export.xlsx", views.enterprise_export, name="export"),
    path("new/", views.enterprise_create, name="create"),
    path("import/", views.figures_import, name="figures_import"),
    path("import/template.xlsx", views.figures_import_template, name="figures_import_template"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", views.enterprise_edit, name="edit"),
    path("<int:pk>/figures/new/", views.figures_edit, name="figures_create"),
    path("<int:pk>/figures/<int:year>/", views.figures_edit, name="figures_edit"),
    path("<int:pk>/titles/new/", views.title_add, name="title_add"),
    path("<int:pk>/ip/new/", views.ip_add, name="ip_add"),
    path("<int:pk>/incidents/new/", views.incident_add, name="incident_add"),
    path(
        "<int:pk>/incidents/<int:incident_id>/delete/",
        views.incident_delete,
        name="incident_delete",
    ),
]
