from django.urls import path

from . import views

app_name = "simulation"

urlpatterns = [
    path("staffing/", views.staffing, name="staffing"),
    path("runs/", views.run_list, name="runs"),
    path("runs/new/", views.run_create, name="run_create"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
]
