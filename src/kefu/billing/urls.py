from django.urls import path

from . import views

app_name = "billing"

urlpatterns = [
    path("customers/<int:customer_id>/summary/", views.customer_summary, name="customer_summary"),
]
