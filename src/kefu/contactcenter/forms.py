"""Forms of the queue admin and the contact-record filters. Rules live in services.queues."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core.forms import DateTimeField
from kefu.iam.models import SkillGroup
from kefu.orgs.models import Organisation
from kefu.orgs.selectors import scope_queryset

from .models import Channel, Queue
from .services.queues import QueueData

WEEKDAY_NAMES = [
    ("1", pgettext_lazy("weekday", "Monday")), ("2", pgettext_lazy("weekday", "Tuesday")),
    ("3", pgettext_lazy("weekday", "Wednesday")), ("4", pgettext_lazy("weekday", "Thursday")),
    ("5", pgettext_lazy("weekday", "Friday")), ("6", pgettext_lazy("weekday", "Saturday")),
    ("7", pgettext_lazy("weekday", "Sunday")),
]
_TIME = {"type": "time"}


class QueueForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=64)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    org = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    sl_target_percent = forms.IntegerField(label=_("Service level target (%)"), min_value=1, max_value=100,
                                           initial=80)
    sl_target_seconds = forms.IntegerField(label=_("Answered within (seconds)"), min_value=1, max_value=3600,
                                           initial=20)
    short_abandon_seconds = forms.IntegerField(
        label=_("Short abandon threshold (seconds)"), min_value=0, max_value=600, initial=5,
        help_text=_("Callers who hang up sooner are left out of the service level."))
    max_wait_seconds = forms.IntegerField(label=_("Maximum wait (seconds)"), min_value=10, max_value=86400,
                                          initial=300)
    max_wait_action = forms.ChoiceField(label=_("After the maximum wait"), choices=Queue.MaxWaitAction.choices)
    always_open = forms.BooleanField(label=_("Open around the clock"), required=False, initial=True,
                                     help_text=_("Otherwise the hours below apply; a day left empty is closed."))
    closed_message = forms.CharField(label=_("Message when closed"), max_length=300, required=False)
    script = forms.CharField(label=_("Agent script"), max_length=5000, required=False,
                             widget=forms.Textarea(attrs={"rows": 5}))
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = scope_queryset(Organisation.objects.filter(active=True), actor,
                                                     field="").order_by("path")
        for day, label in WEEKDAY_NAMES:
            self.fields[f"open_{day}"] = forms.CharField(label=label, required=False, max_length=5,
                                                         widget=forms.TimeInput(attrs=_TIME))
            self.fields[f"close_{day}"] = forms.CharField(label=label, required=False, max_length=5,
                                                          widget=forms.TimeInput(attrs=_TIME))

    @property
    def hour_rows(self):
        return [(label, self[f"open_{day}"], self[f"close_{day}"]) for day, label in WEEKDAY_NAMES]

    @property
    def main_fields(self):
        skip = {"always_open", "closed_message", "script", "active"}
        return [f for f in self.visible_fields() if f.name not in skip and not f.name.startswith(("open_", "close_"))]

    @staticmethod
    def initial_for(queue: Queue) -> dict:
        data = {name: getattr(queue, name) for name in (
            "code", "name", "channel", "sl_target_percent", "sl_target_seconds", "short_abandon_seconds",
            "max_wait_seconds", "max_wait_action", "closed_message", "script", "active")}
        data["org"] = queue.org_id
        data["always_open"] = not queue.opening_hours
        for day, (start, end) in (queue.opening_hours or {}).items():
            data[f"open_{day}"], data[f"close_{day}"] = start, end
        return data

    def opening_hours(self) -> dict:
        if self.cleaned_data.get("always_open"):
            return {}
        hours = {}
        for day, _label in WEEKDAY_NAMES:
            start = (self.cleaned_data.get(f"open_{day}") or "").strip()
            end = (self.cleaned_data.get(f"close_{day}") or "").strip()
            if start or end:
                hours[day] = [start, end]
        return hours


class SkillRowForm(forms.Form):
    skill = forms.ModelChoiceField(label=_("Skill group"), queryset=SkillGroup.objects.order_by("code"),
                                   to_field_name="code", required=False)
    min_level = forms.IntegerField(label=_("Minimum level"), min_value=1, max_value=10, required=False, initial=1)


class OverflowRowForm(forms.Form):
    after = forms.IntegerField(label=_("After (seconds)"), min_value=1, max_value=86400, required=False)
    skill = forms.ModelChoiceField(label=_("Skill group"), queryset=SkillGroup.objects.order_by("code"),
                                   to_field_name="code", required=False)
    min_level = forms.IntegerField(label=_("Level at least"), min_value=1, max_value=10, required=False)


SkillFormSet = forms.formset_factory(SkillRowForm, extra=2, max_num=20, validate_max=True)
OverflowFormSet = forms.formset_factory(OverflowRowForm, extra=2, max_num=20, validate_max=True)


def queue_data(form: QueueForm, skills: forms.BaseFormSet, overflow: forms.BaseFormSet) -> QueueData:
    """The service's input from the three validated forms; empty rows are dropped."""
    d = form.cleaned_data
    skill_rows = [(r["skill"].code, r.get("min_level") or 1) for r in skills.cleaned_data if r and r.get("skill")]
    steps = [{"after": r.get("after"), "skills": [[r["skill"].code, r.get("min_level") or 1]]}
             for r in overflow.cleaned_data if r and r.get("skill")]
    return QueueData(
        code=d["code"], name=d["name"], org=d["org"], channel=d["channel"],
        sl_target_percent=d["sl_target_percent"], sl_target_seconds=d["sl_target_seconds"],
        short_abandon_seconds=d["short_abandon_seconds"], skills=skill_rows, overflow=steps,
        max_wait_seconds=d["max_wait_seconds"], max_wait_action=d["max_wait_action"],
        opening_hours=form.opening_hours(), closed_message=d.get("closed_message") or "",
        script=d.get("script") or "", active=d.get("active", False),
    )


def skill_initial(queue: Queue) -> list[dict]:
    return [{"skill": s.skill_group.code, "min_level": s.min_level}
            for s in queue.skills.select_related("skill_group").order_by("skill_group__code")]


def overflow_initial(queue: Queue) -> list[dict]:
    return [{"after": step.get("after"), "skill": code, "min_level": level}
            for step in queue.overflow or [] for code, level in step.get("skills", [])]


class ContactFilterForm(forms.Form):
    since = DateTimeField(label=_("Started from"), required=False,
                                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    until = DateTimeField(label=_("Started before"), required=False,
                                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    queue = forms.ModelChoiceField(label=_("Queue"), required=False, queryset=Queue.objects.none())
    agent = forms.CharField(label=_("Agent (employee number)"), max_length=32, required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", "—")] + list(Channel.choices))
    abandoned = forms.NullBooleanField(label=_("Abandoned"), required=False, widget=forms.Select(
        choices=[("", "—"), ("true", _("Yes")), ("false", _("No"))]))
    caller = forms.CharField(label=_("Caller number"), max_length=32, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue"].queryset = scope_queryset(Queue.objects.all(), actor).order_by("code")

    def filters(self) -> dict:
        d = self.cleaned_data
        return {"since": d.get("since"), "until": d.get("until"),
                "queue_id": d["queue"].pk if d.get("queue") else None, "agent": d.get("agent") or "",
                "channel": d.get("channel") or "", "abandoned": d.get("abandoned"), "caller": d.get("caller") or ""}
