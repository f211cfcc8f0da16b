from django.urls import path

from . import views

app_name = "ivr"

urlpatterns = [
    path("", views.flow_list, name="flows"),
    path("new/", views.flow_create, name="flow_create"),
    path("seed/", views.flow_seed, name="flow_seed"),
    path("flows/<int:pk>/", views.flow_detail, name="flow"),
    path("flows/<int:pk>/settings/", views.flow_settings, name="flow_settings"),
    path("flows/<int:pk>/versions/<int:number>/", views.version_detail, name="version"),
    path("flows/<int:pk>/nodes/new/", views.node_new, name="node_new"),
    path("flows/<int:pk>/nodes/<str:node_id>/", views.node_edit, name="node_edit"),
    path("flows/<int:pk>/nodes/<str:node_id>/delete/", views.node_delete, name="node_delete"),
    path("flows/<int:pk>/start/", views.set_start, name="set_start"),
    path("flows/<int:pk>/json/", views.draft_json, name="draft_json"),
    path("flows/<int:pk>/reset/", views.draft_reset, name="draft_reset"),
    path("flows/<int:pk>/publish/", views.publish, name="publish"),
    path("flows/<int:pk>/test/", views.test_start, name="test_start"),
    path("test/<int:session_id>/input/", views.test_input, name="test_input"),
    path("test/<int:session_id>/timeout/", views.test_timeout, name="test_timeout"),
    path("test/<int:session_id>/end/", views.test_end, name="test_end"),
]
