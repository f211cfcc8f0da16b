from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("worker-status/", views.worker_status, name="worker_status"),
    path("healthz", views.healthz, name="healthz"),
]
