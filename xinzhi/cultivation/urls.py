from django.urls import path

from xinzhi.cultivation import views

app_name = "cultivation"
urlpatterns = [
    path("", views.ladder, name="ladder"),
    path("candidates/<slug:family>/", views.candidates, name="candidates"),
    path("candidates/<slug:family>/export.xlsx", views.candidates_export, name="candidates_export"),
    path("stages/<slug:family>/<slug:stage>/", views.stage_list, name="stage_list"),
    path("expiring/", views.expiring, name="expiring"),
    path("enterprises/<int:pk>/card/", views.health_card, name="health_card"),
    path("enterprises/<int:pk>/what-if/", views.what_if, name="what_if"),
    path("enterprises/<int:pk>/move/", views.move, name="move"),
    path("enterprises/<int:pk>/profile/", views.profile_edit, name="profile_edit"),
]
