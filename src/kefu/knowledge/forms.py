"""Forms of the knowledge pages. They only shape input; the rules live in the
services and reach the form through ``kefu.core.forms.apply_error``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.core.forms import DateTimeField

from .models import Article, ArticleStatus, Case, Category

EVERYWHERE = ""  # value of the "applies everywhere" choice
_DT_FORMAT = "%Y-%m-%dT%H:%M"


def _label(model, name: str):
    return model._meta.get_field(name).verbose_name


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=_DT_FORMAT, **kwargs)


def _datetime_field(label):
    return DateTimeField(label=label, required=False, widget=DateTimeLocalInput(),
                               input_formats=[_DT_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d"])


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off",
                                                      "placeholder": _("e.g. 漫游, 5G套餐, 服务密码重置")}))
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=[("", _("All categories")), *Category.choices])

    def __init__(self, *args, articles: bool = True, cases: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [("all", _("Articles and cases"))] if articles and cases else []
        if articles:
            kinds.append(("article", _("Articles")))
        if cases:
            kinds.append(("case", _("Cases")))
        self.fields["kind"].choices = kinds


class ArticleFilterForm(forms.Form):
    search = forms.CharField(label=_("Title"), max_length=100, required=False)
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=[("", _("All categories")), *Category.choices])
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Every status")), *ArticleStatus.choices])


class ArticleForm(forms.Form):
    title = forms.CharField(label=_label(Article, "title"), max_length=200)
    category = forms.ChoiceField(label=_label(Article, "category"), choices=Category.choices)
    subcategory = forms.CharField(label=_label(Article, "subcategory"), max_length=50, required=False,
                                  help_text=_("Free text, e.g. 国际漫游 or 宽带"))
    tags = forms.CharField(label=_label(Article, "tags"), max_length=200, required=False,
                           help_text=_("Separated by commas"))
    org = forms.ChoiceField(label=_label(Article, "org"), required=False)
    valid_from = _datetime_field(_label(Article, "valid_from"))
    valid_to = _datetime_field(_label(Article, "valid_to"))
    body = forms.CharField(label=_label(Article, "body"), max_length=50000,
                           widget=forms.Textarea(attrs={"rows": 16}))
    note = forms.CharField(label=_("Change note"), max_length=200, required=False,
                           help_text=_("Kept with the published version"))
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, org_rows=(), allow_everywhere=False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(EVERYWHERE, _("— Everywhere —"))] if allow_everywhere else []
        for org, level in org_rows:
            choices.append((str(org.pk), f"{'　' * level}{org.name}"))
        self.fields["org"].choices = choices
        self.fields["org"].required = not allow_everywhere

    def org_id(self) -> int | None:
        value = self.cleaned_data.get("org")
        return int(value) if value else None


class CaseFilterForm(forms.Form):
    search = forms.CharField(label=_("Title or order serial"), max_length=100, required=False)
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=[("", _("All categories")), *Category.choices])
    published = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("", _("Every status")), ("1", _("Published")), ("0", _("Not published"))])


class CaseForm(forms.Form):
    title = forms.CharField(label=_label(Case, "title"), max_length=200)
    category = forms.ChoiceField(label=_label(Case, "category"), choices=Category.choices)
    subcategory = forms.CharField(label=_label(Case, "subcategory"), max_length=50, required=False)
    situation = forms.CharField(label=_label(Case, "situation"), max_length=10000,
                                widget=forms.Textarea(attrs={"rows": 8}))
    solution = forms.CharField(label=_label(Case, "solution"), max_length=10000,
                               widget=forms.Textarea(attrs={"rows": 8}))
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CaseFromOrderForm(forms.Form):
    title = forms.CharField(label=_label(Case, "title"), max_length=200)
    category = forms.ChoiceField(label=_label(Case, "category"), choices=Category.choices)
    subcategory = forms.CharField(label=_label(Case, "subcategory"), max_length=50, required=False)
    solution = forms.CharField(label=_label(Case, "solution"), max_length=10000,
                               widget=forms.Textarea(attrs={"rows": 6}))
    publish = forms.BooleanField(label=_("Publish at once"), required=False)
