from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("new/", views.create, name="create"),
    path("<int:org_id>/edit/", views.edit, name="edit"),
    path("<int:org_id>/move/", views.move, name="move"),
    path("<int:org_id>/active/", views.set_active, name="set_active"),
]
