"""Staff (人员), roles (角色), teams (班组) and skill groups (技能组)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core import clock
from kefu.core.models import TimeStampedModel


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")
    UNSPECIFIED = "U", _("Unspecified")


class Position(models.TextChoices):
    """The job post (岗位). Only agents may sit in teams (班组)."""

    AGENT = "agent", _("Agent")
    SUPERVISOR = "supervisor", _("Supervisor")
    HANDLER = "handler", _("Back-office handler")
    INSPECTOR = "inspector", _("Quality inspector")
    ACCOUNT_MANAGER = "account_manager", _("Account manager")  # 客户经理: serves VIP and enterprise customers
    ADMIN = "admin", _("Administrator")


class StaffLevel(models.IntegerChoices):
    TRAINEE = 1, _("Trainee")
    JUNIOR = 2, _("Junior")
    INTERMEDIATE = 3, _("Intermediate")
    SENIOR = 4, _("Senior")
    EXPERT = 5, _("Expert")


class StaffStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ON_LEAVE = "on_leave", _("On leave")
    SUSPENDED = "suspended", _("Suspended")
    LEFT = "left", _("Left")


class Role(TimeStampedModel):
    """A named set of permissions. Deleting a role leaves its people role-less."""

    name = models.CharField(_("name"), max_length=64, unique=True)
    description = models.CharField(_("description"), max_length=255, blank=True, default="")
    is_super = models.BooleanField(_("super role"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return self.name


class Team(TimeStampedModel):
    """A group of agents for rostering and team contests; agents only."""

    name = models.CharField(_("name"), max_length=64)
    org = models.ForeignKey("orgs.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT)
    leader = models.ForeignKey(
        "iam.Staff", verbose_name=_("leader"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="led_teams",
    )
    description = models.CharField(_("description"), max_length=255, blank=True, default="")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="team_unique_name_per_org")]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class SkillGroup(TimeStampedModel):
    """A skill (技能组) that routing matches against; people hold it at a level."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    description = models.CharField(_("description"), max_length=255, blank=True, default="")

    class Meta:
        ordering = ["code"]
        verbose_name = _("skill group")
        verbose_name_plural = _("skill groups")

    def __str__(self) -> str:
        return self.name


class StaffManager(BaseUserManager):
    def get_by_natural_key(self, employee_no):
        return self.get(employee_no=employee_no)


class Staff(AbstractBaseUser, TimeStampedModel):
    """A person working in the center. The employee number (工号) is the login."""

    employee_no = models.CharField(_("employee number"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, default=Gender.UNSPECIFIED)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True, default="")
    phone = models.CharField(_("phone"), max_length=32, blank=True, default="")
    email = models.EmailField(_("e-mail"), blank=True, default="")
    org = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="staff"
    )
    role = models.ForeignKey(
        Role, verbose_name=_("role"), null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    position = models.CharField(_("position"), max_length=16, choices=Position.choices, default=Position.AGENT)
    level = models.PositiveSmallIntegerField(_("level"), choices=StaffLevel.choices, default=StaffLevel.JUNIOR)
    status = models.CharField(_("status"), max_length=16, choices=StaffStatus.choices, default=StaffStatus.ACTIVE)
    status_changed_at = models.DateTimeField(_("status changed at"), default=clock.now)
    skills = models.ManyToManyField(SkillGroup, through="StaffSkill", related_name="staff", blank=True)
    failed_logins = models.PositiveSmallIntegerField(default=0, editable=False)
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)
    password_changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    USERNAME_FIELD = "employee_no"
    REQUIRED_FIELDS = ["name"]

    objects = StaffManager()

    class Meta:
        ordering = ["employee_no"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")

    def __str__(self) -> str:
        return f"{self.name} ({self.employee_no})"

    @property
    def is_active(self) -> bool:
        return self.status in (StaffStatus.ACTIVE, StaffStatus.ON_LEAVE)

    @property
    def age(self) -> int | None:
        if not self.birth_date:
            return None
        today = clock.now().date()
        b: date = self.birth_date
        return today.year - b.year - ((today.month, today.day) < (b.month, b.day))

    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > clock.now()


class StaffSkill(models.Model):
    """A person's level in a skill group (1 = basic … 10 = expert)."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="skill_levels")
    skill_group = models.ForeignKey(SkillGroup, on_delete=models.CASCADE, related_name="staff_levels")
    level = models.PositiveSmallIntegerField(_("skill level"), default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["staff", "skill_group"], name="staffskill_unique"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=10), name="staffskill_level_1_10"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id}:{self.skill_group_id}@{self.level}"
