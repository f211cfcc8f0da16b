from django.urls import path

from . import views

app_name = "webchat"

urlpatterns = [
    path("entries/", views.entry_list, name="entries"),
    path("entries/new/", views.entry_create, name="entry_create"),
    path("entries/<int:pk>/", views.entry_edit, name="entry"),
    path("left-messages/", views.left_message_list, name="left_messages"),
    path("left-messages/<int:pk>/follow-up/", views.left_message_follow_up, name="follow_up"),
    path("contacts/<int:contact_id>/transcript/", views.transcript, name="transcript"),
    path("files/<int:pk>/", views.file_download, name="file"),
]
