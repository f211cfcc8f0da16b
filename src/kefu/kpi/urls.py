from django.urls import path

from . import views

app_name = "kpi"

urlpatterns = [
    path("", views.report, name="report"),
    path("export.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("export.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("wallboard/", views.wallboard, name="wallboard"),
    path("today/", views.today, name="today"),
]
