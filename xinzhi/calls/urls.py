from django.urls import path

from xinzhi.calls import views

app_name = "calls"
urlpatterns = [
    path("", views.call_list, name="list"),
    path("new/", views.call_create, name="create"),
    path("<int:pk>/", views.call_detail, name="detail"),
    path("<int:pk>/edit/", views.call_edit, name="edit"),
    path("<int:pk>/stages/", views.call_stages, name="stages"),
    path("<int:pk>/open/", views.call_open, name="open"),
    path("<int:pk>/advance/", views.call_advance, name="advance"),
    path("<int:pk>/close/", views.call_close, name="close"),
    path("<int:pk>/draw/", views.call_draw, name="draw"),
    path("<int:pk>/publish/", views.call_publish, name="publish"),
    path("<int:pk>/apply/", views.application_create, name="apply"),
    path("<int:pk>/applications/", views.application_list, name="applications"),
    path("<int:pk>/applications/export.xlsx", views.application_export, name="export"),
    path("<int:pk>/ranking/", views.ranking, name="ranking"),
    path("<int:pk>/results/", views.results_notice, name="results"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:pk>/submit/", views.application_submit, name="application_submit"),
    path(
        "applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"
    ),
    path("applications/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("applications/<int:pk>/formal/", views.application_formal, name="application_formal"),
    path("applications/<int:pk>/assign/", views.application_assign, name="application_assign"),
    path("applications/<int:pk>/decide/", views.application_decide, name="application_decide"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("reviews/", views.review_list, name="reviews"),
    path("reviews/<int:pk>/", views.review_score, name="review"),
    path("reviews/<int:pk>/rescore/", views.review_rescore_request, name="rescore_request"),
    path("reviews/<int:pk>/rescore/approve/", views.review_rescore_approve, name="rescore_approve"),
    path("reviews/<int:pk>/declare/", views.review_declare, name="review_declare"),
    path("experts/", views.expert_pool, name="experts"),
]
