from django.urls import path

from .views import articles, cases, search

app_name = "knowledge"

urlpatterns = [
    path("search/", search.search, name="search"),
    path("search/partial/", search.search_partial, name="search_partial"),
    path("articles/", articles.article_list, name="article_list"),
    path("articles/new/", articles.article_create, name="article_create"),
    path("articles/<int:article_id>/", articles.article_detail, name="article_detail"),
    path("articles/<int:article_id>/edit/", articles.article_edit, name="article_edit"),
    path("articles/<int:article_id>/publish/", articles.article_publish, name="article_publish"),
    path("articles/<int:article_id>/retire/", articles.article_retire, name="article_retire"),
    path("articles/<int:article_id>/delete/", articles.article_delete, name="article_delete"),
    path("articles/<int:article_id>/versions/<int:number>/", articles.article_version, name="article_version"),
    path("cases/", cases.case_list, name="case_list"),
    path("cases/new/", cases.case_create, name="case_create"),
    path("cases/from-order/<str:serial>/", cases.case_from_order, name="case_from_order"),
    path("cases/<int:case_id>/", cases.case_detail, name="case_detail"),
    path("cases/<int:case_id>/edit/", cases.case_edit, name="case_edit"),
    path("cases/<int:case_id>/publish/", cases.case_publish, name="case_publish"),
    path("cases/<int:case_id>/delete/", cases.case_delete, name="case_delete"),
]
