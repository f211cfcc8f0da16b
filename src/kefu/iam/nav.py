from django.utils.translation import gettext_lazy as _

from kefu.core.nav import NavEntry

SECTION = _("Administration")
MINE = _("My account")

ENTRIES: list[NavEntry] = [
    NavEntry(SECTION, _("Staff"), "iam:staff_list", "iam.staff.view", order=30),
    NavEntry(SECTION, _("Roles and permissions"), "iam:role_list", "iam.role.view", order=31),
    NavEntry(SECTION, _("Teams"), "iam:team_list", "iam.team.view", order=32),
    NavEntry(SECTION, _("Skill groups"), "iam:skill_list", "iam.skill.view", order=33),
    NavEntry(SECTION, _("Temporary permissions"), "iam:temporary_list", "iam.temporary.view", order=34),
    NavEntry(MINE, _("My API tokens"), "iam:token_list", "iam.token.manage", order=900),
    NavEntry(MINE, _("Change my password"), "iam:password_change", None, order=901),
]
