from django.urls import path

from . import views

app_name = "outlets"

urlpatterns = [
    path("", views.message_list, name="messages"),
    path("messages/<int:pk>/", views.message_detail, name="message"),
    path("templates/", views.template_list, name="templates"),
    path("templates/new/", views.template_create, name="template_create"),
    path("templates/<int:pk>/", views.template_edit, name="template_edit"),
    path("templates/<int:pk>/delete/", views.template_delete, name="template_delete"),
    path("templates/<int:pk>/preview/", views.template_preview, name="template_preview"),
    path("opt-outs/", views.optout_list, name="optouts"),
    path("opt-outs/<int:pk>/revoke/", views.optout_revoke, name="optout_revoke"),
    path("outlets/", views.outlet_list, name="outlets"),
    path("outlets/<str:code>/", views.outlet_edit, name="outlet_edit"),
]
