from django.urls import path

from . import views

app_name = "notices"

urlpatterns = [
    path("", views.request_list, name="requests"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("callbacks/<int:pk>/retry/", views.callback_retry, name="callback_retry"),
    path("systems/", views.system_list, name="systems"),
    path("systems/new/", views.system_create, name="system_create"),
    path("systems/<int:pk>/", views.system_edit, name="system_edit"),
    path("systems/<int:pk>/rotate/", views.system_rotate, name="system_rotate"),
    path("subscriptions/", views.subscriptions, name="subscriptions"),
    path("customers/<int:customer_id>/subscriptions/", views.customer_subscriptions, name="customer_subscriptions"),
]
