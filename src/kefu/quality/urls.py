from django.urls import path

from . import views

app_name = "quality"

urlpatterns = [
    path("", views.inspections, name="inspections"),
    path("pick/", views.pick, name="pick"),
    path("pick/contact/", views.pick_contact, name="pick_contact"),
    path("inspections/<int:pk>/", views.inspection, name="inspection"),
    path("inspections/<int:pk>/score/", views.score, name="score"),
    path("inspections/<int:pk>/decide/", views.decide, name="decide"),
    path("inspections/<int:pk>/improvements/", views.improvement_new, name="improvement_new"),
    path("forms/", views.forms_list, name="forms"),
    path("forms/new/", views.form_new, name="form_new"),
    path("forms/<int:pk>/", views.form_detail, name="form"),
    path("forms/<int:pk>/publish/", views.form_publish_view, name="form_publish"),
    path("forms/<int:pk>/toggle/", views.form_toggle, name="form_toggle"),
    path("mine/", views.mine, name="mine"),
    path("mine/<int:pk>/", views.mine_detail, name="mine_detail"),
    path("mine/<int:pk>/dispute/", views.mine_dispute, name="mine_dispute"),
    path("mine/improvements/<int:pk>/done/", views.mine_improvement_done, name="mine_improvement_done"),
    path("improvements/", views.improvements, name="improvements"),
    path("improvements/<int:pk>/done/", views.improvement_close, name="improvement_done"),
    path("report/", views.report, name="report"),
    path("report/export/", views.report_export, name="report_export"),
    path("overview/", views.overview_page, name="overview"),
]
