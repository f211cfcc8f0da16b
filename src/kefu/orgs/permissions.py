from django.utils.translation import gettext_lazy as _

NODES = [
    ("orgs", _("Organisations")),
    ("orgs.org", _("Organisation tree")),
    ("orgs.org.view", _("View organisations")),
    ("orgs.org.edit", _("Create, edit, move and deactivate organisations")),
    ("scope", _("Data scope")),
    ("scope.all_orgs", _("See data of all organisations")),
]
