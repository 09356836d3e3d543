from django.urls import path

from xinzhi.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("declare/", views.declare, name="declare"),
    path("growth/", views.growth, name="growth"),
    path("requests/", views.requests, name="requests"),
    path("contacts/", views.contacts, name="contacts"),
    path("contacts/<int:pk>/remove/", views.contact_remove, name="contact_remove"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invite/<str:token>/", views.accept, name="accept"),
    path("enterprises/<int:pk>/", views.enterprise_accounts, name="enterprise_accounts"),
    path("declarations/", views.declarations, name="declarations"),
    path("declarations/<int:pk>/", views.declaration, name="declaration"),
    path("declarations/<int:pk>/accept/", views.declaration_accept, name="declaration_accept"),
    path("declarations/<int:pk>/return/", views.declaration_return, name="declaration_return"),
]
