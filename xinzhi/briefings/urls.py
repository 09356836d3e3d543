from django.urls import path

from xinzhi.briefings import views

app_name = "briefings"

urlpatterns = [
    path("", views.briefing_list, name="list"),
    path("generate/", views.briefing_generate, name="generate"),
    path("report.xlsx", views.report, name="report"),
    path("<int:pk>/", views.briefing_detail, name="detail"),
    path("<int:pk>/finalise/", views.briefing_finalise, name="finalise"),
    path("<int:pk>/briefing.docx", views.briefing_docx, name="docx"),
    path("<int:pk>/report.xlsx", views.briefing_xlsx, name="xlsx"),
    path("templates/", views.template_list, name="templates"),
    path("templates/new/", views.template_create, name="template_create"),
    path("templates/<int:pk>/", views.template_edit, name="template_edit"),
    path("templates/sections/<int:pk>/", views.section_edit, name="section_edit"),
]
