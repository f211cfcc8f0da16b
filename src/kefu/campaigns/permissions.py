from django.utils.translation import gettext_lazy as _

NODES = [
    ("campaigns", _("Outbound campaigns")),
    ("campaigns.campaign", _("Campaigns")),
    ("campaigns.campaign.view", _("View campaigns and their targets")),
    ("campaigns.campaign.edit", _("Create and edit campaigns, import targets")),
    ("campaigns.campaign.run", _("Start, pause and stop campaigns")),
    ("campaigns.result", _("Campaign results")),
    ("campaigns.result.view", _("View campaign dashboards and export results")),
    ("campaigns.dnc", _("Do-not-call list")),
    ("campaigns.dnc.view", _("View the do-not-call list")),
    ("campaigns.dnc.edit", _("Add, import and remove do-not-call numbers")),
]
