from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("worker-status/", views.worker_status, name="worker_status"),
    path("changelog/", views.changelog, name="changelog"),
    path("healthz", views.healthz, name="healthz"),
]
