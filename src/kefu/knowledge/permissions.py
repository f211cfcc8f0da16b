from django.utils.translation import gettext_lazy as _

NODES = [
    ("knowledge", _("Knowledge base and case library")),
    ("knowledge.article", _("Knowledge articles")),
    ("knowledge.article.view", _("Read and search knowledge articles")),
    ("knowledge.article.edit", _("Write, publish and retire knowledge articles")),
    ("knowledge.case", _("Case library")),
    ("knowledge.case.view", _("Read and search cases")),
    ("knowledge.case.edit", _("Make, edit and publish cases")),
]
