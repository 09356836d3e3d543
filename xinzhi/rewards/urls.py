from django.urls import path

from xinzhi.rewards import views

app_name = "rewards"
urlpatterns = [
    path("", views.entitlement_list, name="list"),
    path("export.xlsx", views.entitlement_export, name="export"),
    path("bulk/", views.entitlement_bulk, name="bulk"),
    path("<int:pk>/", views.entitlement_detail, name="detail"),
    path("<int:pk>/confirm/", views.entitlement_confirm, name="confirm"),
    path("<int:pk>/return/", views.entitlement_return, name="return"),
    path("<int:pk>/approve/", views.entitlement_approve, name="approve"),
    path("<int:pk>/pay/", views.entitlement_pay, name="pay"),
    path("run/", views.run_page, name="run"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("policies/", views.policy_list, name="policies"),
    path("budget/", views.budget, name="budget"),
    path("budget/<int:pk>/", views.budget_edit, name="budget_edit"),
    path("publicity/", views.publicity_list, name="publicity_list"),
    path("publicity/new/", views.publicity_create, name="publicity_create"),
    path("publicity/<int:pk>/", views.publicity_public, name="publicity_public"),
    path("objections/<int:pk>/resolve/", views.objection_resolve, name="objection_resolve"),
    path("mine/", views.mine, name="mine"),
]
