from django.urls import path

from . import views_auth
from .views import account, roles, skills, staff, teams, temporary, tokens

app_name = "iam"

urlpatterns = [
    path("login/", views_auth.login_view, name="login"),
    path("logout/", views_auth.logout_view, name="logout"),
    path("password/", account.password_change, name="password_change"),
    # staff
    path("staff/", staff.staff_list, name="staff_list"),
    path("staff/new/", staff.staff_create, name="staff_create"),
    path("staff/<int:staff_id>/", staff.staff_detail, name="staff_detail"),
    path("staff/<int:staff_id>/edit/", staff.staff_edit, name="staff_edit"),
    path("staff/<int:staff_id>/status/", staff.staff_status, name="staff_status"),
    path("staff/<int:staff_id>/reset-password/", staff.staff_reset_password, name="staff_reset_password"),
    path("staff/<int:staff_id>/unlock/", staff.staff_unlock, name="staff_unlock"),
    path("login-blocks/<int:block_id>/unblock/", staff.login_block_unblock, name="login_block_unblock"),
    path("staff/<int:staff_id>/skills/", staff.staff_skill_set, name="staff_skill_set"),
    path("staff/<int:staff_id>/skills/<int:group_id>/remove/", staff.staff_skill_remove, name="staff_skill_remove"),
    path("staff/<int:staff_id>/grants/", staff.staff_grants, name="staff_grants"),
    # roles
    path("roles/", roles.role_list, name="role_list"),
    path("roles/new/", roles.role_create, name="role_create"),
    path("roles/batch/", roles.role_batch, name="role_batch"),
    path("roles/<int:role_id>/", roles.role_detail, name="role_detail"),
    path("roles/<int:role_id>/edit/", roles.role_edit, name="role_edit"),
    path("roles/<int:role_id>/delete/", roles.role_delete, name="role_delete"),
    path("roles/<int:role_id>/grants/", roles.role_grants, name="role_grants"),
    # teams
    path("teams/", teams.team_list, name="team_list"),
    path("teams/new/", teams.team_create, name="team_create"),
    path("teams/<int:team_id>/", teams.team_detail, name="team_detail"),
    path("teams/<int:team_id>/edit/", teams.team_edit, name="team_edit"),
    path("teams/<int:team_id>/delete/", teams.team_delete, name="team_delete"),
    path("teams/<int:team_id>/members/", teams.team_member_add, name="team_member_add"),
    path("teams/<int:team_id>/members/<int:staff_id>/remove/", teams.team_member_remove, name="team_member_remove"),
    # skill groups
    path("skills/", skills.skill_list, name="skill_list"),
    path("skills/new/", skills.skill_create, name="skill_create"),
    path("skills/<int:group_id>/", skills.skill_detail, name="skill_detail"),
    path("skills/<int:group_id>/edit/", skills.skill_edit, name="skill_edit"),
    path("skills/<int:group_id>/delete/", skills.skill_delete, name="skill_delete"),
    path("skills/<int:group_id>/holders/", skills.skill_holder_set, name="skill_holder_set"),
    path("skills/<int:group_id>/holders/<int:staff_id>/remove/", skills.skill_holder_remove,
         name="skill_holder_remove"),
    # temporary permissions
    path("temporary/", temporary.temporary_list, name="temporary_list"),
    path("temporary/new/", temporary.temporary_create, name="temporary_create"),
    path("temporary/<int:tp_id>/revoke/", temporary.temporary_revoke, name="temporary_revoke"),
    # API tokens
    path("tokens/", tokens.token_list, name="token_list"),
    path("tokens/new/", tokens.token_create, name="token_create"),
    path("tokens/<int:token_id>/revoke/", tokens.token_revoke, name="token_revoke"),
]
