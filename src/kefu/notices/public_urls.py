"""The customers' own notice choices, mounted at /subscribe/ (kefu/urls.py)."""

from django.urls import path

from . import views_public as v

app_name = "subscribe"

urlpatterns = [
    path("", v.self_service_start, name="start"),
    path("<str:token>/", v.self_service_choices, name="choices"),
]
