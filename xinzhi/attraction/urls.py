from django.urls import path

from xinzhi.attraction import views

app_name = "attraction"
urlpatterns = [
    path("", views.board, name="board"),
    path("leads/", views.lead_list, name="lead_list"),
    path("leads/export.xlsx", views.lead_export, name="lead_export"),
    path("leads/new/", views.lead_create, name="lead_create"),
    path("leads/<int:pk>/", views.lead_detail, name="lead_detail"),
    path("leads/<int:pk>/edit/", views.lead_edit, name="lead_edit"),
    path("leads/<int:pk>/move/", views.lead_move, name="lead_move"),
    path("leads/<int:pk>/dockings/new/", views.docking_add, name="docking_add"),
    path("leads/<int:pk>/land/", views.lead_land, name="lead_land"),
    path("leads/<int:pk>/drop/", views.lead_drop, name="lead_drop"),
    path("leads/<int:pk>/restore/", views.lead_restore, name="lead_restore"),
    path("leads/<int:pk>/aftercare/new/", views.aftercare_create, name="aftercare_create"),
    path("board/", views.board, name="board_page"),
    path("follow-ups/", views.follow_ups, name="follow_ups"),
    path("stats/", views.stats, name="stats"),
    path("aftercare/", views.aftercare_list, name="aftercare_list"),
    path("aftercare/<int:pk>/advance/", views.aftercare_advance, name="aftercare_advance"),
    path("talent/", views.referral_list, name="referral_list"),
    path("talent/new/", views.referral_create, name="referral_create"),
    path("talent/<int:pk>/advance/", views.referral_advance, name="referral_advance"),
]
