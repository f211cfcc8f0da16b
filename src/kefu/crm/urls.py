from django.urls import path

from . import views

app_name = "crm"

urlpatterns = [
    path("", views.customer_search, name="customer_search"),
    path("customers/new/", views.customer_create, name="customer_create"),
    path("customers/<int:pk>/", views.customer_detail, name="customer_detail"),
    path("customers/<int:pk>/edit/", views.customer_edit, name="customer_edit"),
    path("customers/<int:pk>/reveal/", views.customer_reveal, name="customer_reveal"),
    path("customers/<int:pk>/accounts/new/", views.account_create, name="account_create"),
    path("customers/<int:pk>/subscribers/new/", views.subscriber_create, name="subscriber_create"),
    path("customers/<int:pk>/service-password/unlock/", views.service_password_unlock,
         name="service_password_unlock"),
    path("customers/<int:pk>/service-password/reset/", views.service_password_reset,
         name="service_password_reset"),
]
