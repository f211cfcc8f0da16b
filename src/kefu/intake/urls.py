from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("", views.contact_list, name="contacts"),
    path("conversations/<int:pk>/", views.conversation_detail, name="conversation"),
    path("conversations/<int:pk>/answer/", views.conversation_answer, name="answer"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("register/", views.register, name="register"),
    path("registrations/<int:pk>/", views.registration_detail, name="registration"),
    path("registrations/<int:pk>/scan/", views.scan_download, name="scan"),
    path("mailboxes/", views.mailbox_list, name="mailboxes"),
    path("mailboxes/new/", views.mailbox_create, name="mailbox_create"),
    path("mailboxes/<int:pk>/", views.mailbox_edit, name="mailbox"),
    path("mailboxes/<int:pk>/test/", views.mailbox_test, name="mailbox_test"),
    path("mailboxes/<int:pk>/poll/", views.mailbox_poll, name="mailbox_poll"),
]
