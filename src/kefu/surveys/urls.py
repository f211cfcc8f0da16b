from django.urls import path

from . import views, views_public

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="surveys"),
    path("<int:pk>/", views.survey_detail, name="survey"),
    path("scripts/", views.script_list, name="scripts"),
    path("scripts/new/", views.script_create, name="script_create"),
    path("scripts/<int:pk>/", views.script_detail, name="script"),
    path("scripts/<int:pk>/draft/", views.draft_save, name="draft"),
    path("scripts/<int:pk>/publish/", views.script_publish, name="publish"),
    path("scripts/<int:pk>/versions/<int:number>/", views.version_detail, name="version"),
    path("scripts/<int:pk>/versions/<int:number>/print/", views.version_print, name="print"),
    path("scripts/<int:pk>/versions/<int:number>/handoff.json", views.handoff_json, name="handoff_json"),
    path("scripts/<int:pk>/versions/<int:number>/sample.csv", views.sample_csv, name="sample_csv"),
    path(
        "scripts/<int:pk>/versions/<int:number>/results.csv", views.results_template, name="results_template"
    ),
    path("scripts/<int:pk>/versions/<int:number>/sample/", views.sample_create, name="sample"),
    path("scripts/<int:pk>/versions/<int:number>/results/", views.results_import, name="results"),
    path("satisfaction/", views.satisfaction, name="stats"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/<int:pk>/toggle/", views.rule_toggle, name="rule_toggle"),
    path("rules/<int:pk>/draw/", views.rule_draw, name="rule_draw"),
    path("q/<str:signed>/", views_public.questionnaire, name="answer"),
]
