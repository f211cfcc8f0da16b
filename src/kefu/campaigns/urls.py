from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("<int:pk>/import/", views.import_targets, name="import"),
    path("<int:pk>/dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/results.csv", views.results_export, name="export"),
    path("<int:pk>/<str:action>/", views.campaign_action, name="action"),
    path("imports/<int:pk>/", views.import_status, name="import_status"),
    path("imports/<int:pk>/report/", views.import_report, name="import_report"),
    path("dnc/", views.dnc_list, name="dnc"),
    path("dnc/<int:pk>/remove/", views.dnc_remove, name="dnc_remove"),
]
