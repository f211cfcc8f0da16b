from django.urls import path

from .views import callbacks, contacts, desk, queues

app_name = "contactcenter"

urlpatterns = [
    path("desk/", desk.desk, name="desk"),
    path("supervisor/", desk.supervisor, name="supervisor"),
    path("queues/", queues.queue_list, name="queues"),
    path("queues/new/", queues.queue_new, name="queue_new"),
    path("queues/<int:pk>/", queues.queue_edit, name="queue_edit"),
    path("queues/<int:pk>/delete/", queues.queue_remove, name="queue_delete"),
    path("contacts/", contacts.contact_list, name="contacts"),
    path("contacts/<int:pk>/", contacts.contact_detail, name="contact"),
    path("callbacks/", callbacks.callback_list, name="callbacks"),
    path("callbacks/<int:pk>/", callbacks.callback_detail, name="callback"),
    path("customers/<int:customer_id>/contacts/", contacts.customer_contacts, name="customer_contacts"),
]
