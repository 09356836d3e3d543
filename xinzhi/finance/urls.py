from django.urls import path

from xinzhi.finance import views

app_name = "finance"
urlpatterns = [
    path("", views.stats, name="stats"),
    path("loans/", views.loan_list, name="loan_list"),
    path("loans/export.xlsx", views.loan_export, name="loan_export"),
    path("loans/new/", views.loan_create, name="loan_create"),
    path("loans/<int:pk>/", views.loan_detail, name="loan_detail"),
    path("loans/<int:pk>/decide/", views.loan_decide, name="loan_decide"),
    path("loans/<int:pk>/disburse/", views.loan_disburse, name="loan_disburse"),
    path("loans/<int:pk>/repay/", views.loan_repay, name="loan_repay"),
    path("loans/<int:pk>/overdue/", views.loan_overdue, name="loan_overdue"),
    path("loans/<int:pk>/compensate/", views.loan_compensate, name="loan_compensate"),
    path("loans/<int:pk>/recover/", views.loan_recover, name="loan_recover"),
    path("products/", views.product_list, name="product_list"),
    path("pool/", views.pool, name="pool"),
    path("pool/<int:pk>/capital/", views.pool_capital, name="pool_capital"),
    path("institutions/", views.institution_list, name="institution_list"),
    path("institutions/export.xlsx", views.institution_export, name="institution_export"),
    path("institutions/new/", views.institution_create, name="institution_create"),
    path("institutions/<int:pk>/edit/", views.institution_edit, name="institution_edit"),
    path("grants/", views.grant_list, name="grant_list"),
    path("grants/new/", views.grant_create, name="grant_create"),
    path("orders/", views.order_list, name="order_list"),
    path("orders/export.xlsx", views.order_export, name="order_export"),
    path("orders/new/", views.order_create, name="order_create"),
    path("orders/<int:pk>/", views.order_detail, name="order_detail"),
    path("orders/<int:pk>/advance/", views.order_advance, name="order_advance"),
    path("orders/<int:pk>/redeem/", views.order_redeem, name="order_redeem"),
    path("orders/<int:pk>/void/", views.order_void, name="order_void"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/export.xlsx", views.round_export, name="round_export"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("enterprises/<int:pk>/panel/", views.enterprise_panel, name="enterprise_panel"),
]
