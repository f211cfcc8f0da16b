"""The customers' chat pages, mounted at /chat/ (kefu/urls.py)."""

from django.urls import path

from . import views_public as v

app_name = "chat"

urlpatterns = [
    path("<str:hotline>/", v.chat_page, name="page"),
    path("<str:hotline>/state/", v.chat_state, name="state"),
    path("<str:hotline>/code/", v.code_send, name="code"),
    path("<str:hotline>/verify/", v.code_check, name="verify"),
    path("<str:hotline>/start/", v.chat_begin, name="start"),
    path("<str:hotline>/leave/", v.message_left, name="leave"),
    path("<str:hotline>/files/", v.file_upload, name="upload"),
    path("<str:hotline>/files/<int:message_id>/", v.file_download, name="file"),
]
