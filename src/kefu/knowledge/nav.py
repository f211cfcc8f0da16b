from django.utils.translation import gettext_lazy as _

from kefu.core.nav import NavEntry

SECTION = _("Knowledge")

ENTRIES = [
    NavEntry(SECTION, _("Search knowledge"), "knowledge:search", "knowledge.article.view", order=60),
    NavEntry(SECTION, _("Articles"), "knowledge:article_list", "knowledge.article.view", order=61),
    NavEntry(SECTION, _("Case library"), "knowledge:case_list", "knowledge.case.view", order=62),
]
