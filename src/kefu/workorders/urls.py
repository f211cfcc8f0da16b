from django.urls import path

from .views import digests, lists, orders, settings, templates_admin

app_name = "workorders"

urlpatterns = [
    path("", lists.my_work, name="my_work"),
    path("new/", orders.order_create, name="create"),
    path("query/", lists.query, name="query"),
    path("export/", lists.export_start, name="export_start"),
    path("exports/<int:pk>/", lists.export_status, name="export"),
    path("exports/<int:pk>/download/", lists.export_download, name="export_download"),
    path("supervision/", lists.supervision, name="supervision"),
    path("forwards/", lists.forwards, name="forwards"),
    path("templates/", templates_admin.template_list, name="templates"),
    path("templates/<int:pk>/", templates_admin.template_edit, name="template"),
    path("attachments/<int:pk>/", orders.attachment_download, name="attachment"),
    path("customers/<int:customer_id>/", lists.customer_orders, name="customer_orders"),
    path("suggestion-digests/", digests.digest_list, name="digests"),
    path("suggestion-digests/<int:digest_id>/", digests.digest_detail, name="digest"),
    path("coordination/", settings.coordination_settings, name="coordination_settings"),
    path("coordination/endpoints/<int:org_id>/", settings.endpoint_save, name="endpoint_save"),
    path("coordination/parties/<int:org_id>/", settings.party_save, name="party_save"),
    path("coordination/webhooks/", settings.subscription_add, name="subscription_add"),
    path("coordination/webhooks/<int:pk>/remove/", settings.subscription_remove, name="subscription_remove"),
    path("coordination/calendars/", settings.calendar_save, name="calendar_save"),
    path("coordination/calendars/<int:org_id>/remove/", settings.calendar_remove, name="calendar_remove"),
    path("<str:serial>/", orders.order_detail, name="order"),
    path("<str:serial>/act/<str:action>/", orders.act, name="act"),
    path("<str:serial>/act/<str:action>/form/", orders.action_form, name="action_form"),
    path("<str:serial>/attach/", orders.attach, name="attach"),
    path("<str:serial>/duplicate/", orders.mark_duplicate, name="mark_duplicate"),
]
