from django.urls import path

from . import views

app_name = "params"

urlpatterns = [
    path("", views.param_list, name="list"),
    path("<str:key>/", views.param_update, name="update"),
    path("<str:key>/reset/", views.param_reset, name="reset"),
]
