from django.urls import path

from xinzhi.chains import views

app_name = "chains"
urlpatterns = [
    path("", views.chain_list, name="list"),
    path("<int:chain_id>/", views.chain_detail, name="detail"),
    path("<int:chain_id>/metrics/<slug:metric>/", views.metric_detail, name="metric"),
    path("<int:chain_id>/nodes.xlsx", views.nodes_export, name="nodes_export"),
    path("<int:chain_id>/leaders/<int:enterprise_id>/", views.leader, name="leader"),
    path("nodes/<int:node_id>/", views.node_detail, name="node"),
    path("nodes/<int:node_id>/members/new/", views.membership_add, name="membership_add"),
    path("nodes/<int:node_id>/targets/new/", views.target_create, name="target_create"),
    path("nodes/<int:node_id>/leads/link/", views.lead_link, name="lead_link"),
    path("members/", views.membership_list, name="membership_list"),
    path("members/export.xlsx", views.membership_export, name="membership_export"),
    path("members/<int:membership_id>/remove/", views.membership_remove, name="membership_remove"),
    path("targets/", views.target_list, name="target_list"),
    path("targets/export.xlsx", views.target_export, name="target_export"),
    path("targets/<int:target_id>/convert/", views.target_convert, name="target_convert"),
    path("targets/<int:target_id>/status/", views.target_status, name="target_status"),
    path("enterprises/<int:pk>/", views.enterprise_panel, name="enterprise_panel"),
    path("supplies/", views.supply_list, name="supply_list"),
    path("supplies/export.xlsx", views.supply_export, name="supply_export"),
    path("supplies/import/", views.supply_import, name="supply_import"),
    path(
        "supplies/import/template.xlsx",
        views.supply_import_template,
        name="supply_import_template",
    ),
]
