"""Article pages: list, read (with version history), write, publish, retire, delete."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kefu.core.access import perm_required
from kefu.core.errors import KefuError
from kefu.core.forms import apply_error
from kefu.core.pagination import paginate, querystring_without_page

from .. import selectors
from ..forms import ArticleFilterForm, ArticleForm
from ..models import ArticleStatus
from ..services import articles as services
from ..visibility import ARTICLE_EDIT, ARTICLE_VIEW, access_of
from ._common import lookup_errors

_FIELD_BY_CODE = {"duplicate_title": "title", "expired": "valid_to", "org_required": "org",
                  "org_not_found": "org"}


def _get(request, article_id, *, edit=False):
    if edit:
        return selectors.article_for_edit(actor=request.user, article_id=article_id)
    return selectors.article_get(actor=request.user, article_id=article_id)


@perm_required(ARTICLE_VIEW, ARTICLE_EDIT, any_of=True)
def article_list(request):
    access = access_of(request.user)
    form = ArticleFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.article_list(actor=request.user, status=filters.get("status") or None,
                                category=filters.get("category") or None, search=filters.get("search"))
    if not access.article_editor:
        del form.fields["status"]
    return render(request, "knowledge/article_list.html", {
        "form": form, "page": paginate(request, qs), "qs": querystring_without_page(request),
        "can_edit": access.article_editor,
    })


@perm_required(ARTICLE_VIEW, ARTICLE_EDIT, any_of=True)
@lookup_errors
def article_detail(request, article_id: int):
    """The current content; ``?hl=words`` highlights the words a search found."""
    article = _get(request, article_id)
    access = access_of(request.user)
    return render(request, "knowledge/article_detail.html", {
        "article": article, "versions": selectors.article_versions(article=article),
        "hl": (request.GET.get("hl") or "")[:200],
        "can_edit": access.article_editor and access.may_edit_org(article.org),
    })


@perm_required(ARTICLE_VIEW, ARTICLE_EDIT, any_of=True)
@lookup_errors
def article_version(request, article_id: int, number: int):
    article = _get(request, article_id)
    version = selectors.article_version_get(article=article, number=number)
    return render(request, "knowledge/article_version.html", {"article": article, "version": version})


def _form_kwargs(actor):
    return {"org_rows": selectors.article_org_choices(actor=actor),
            "allow_everywhere": selectors.may_write_everywhere(actor)}


def _data(form, org) -> services.ArticleData:
    d = form.cleaned_data
    return services.ArticleData(title=d["title"], body=d["body"], category=d["category"],
                                subcategory=d["subcategory"], tags=d["tags"], org=org,
                                valid_from=d["valid_from"], valid_to=d["valid_to"])


@perm_required(ARTICLE_EDIT)
@require_http_methods(["GET", "POST"])
@lookup_errors
def article_create(request):
    actor = request.user
    status = 200
    if request.method == "POST":
        form = ArticleForm(request.POST, **_form_kwargs(actor))
        if form.is_valid():
            try:
                org = selectors.article_org_for(actor=actor, org_id=form.org_id())
                article = services.article_create(actor=actor, data=_data(form, org),
                                                  publish=request.POST.get("publish") == "1",
                                                  note=form.cleaned_data["note"])
            except KefuError as exc:
                apply_error(form, exc, field_by_code=_FIELD_BY_CODE)
                status = exc.status
            else:
                messages.success(request, _("Article “%(title)s” saved.") % {"title": article.title})
                return redirect("knowledge:article_detail", article_id=article.pk)
        else:
            status = 400
    else:
        default_org = "" if selectors.may_write_everywhere(actor) else str(actor.org_id or "")
        form = ArticleForm(initial={"org": default_org}, **_form_kwargs(actor))
    return render(request, "knowledge/article_form.html", {"form": form, "title": _("New article")},
                  status=status)


@perm_required(ARTICLE_EDIT)
@require_http_methods(["GET", "POST"])
@lookup_errors
def article_edit(request, article_id: int):
    actor = request.user
    article = _get(request, article_id, edit=True)
    status = 200
    if request.method == "POST":
        form = ArticleForm(request.POST, **_form_kwargs(actor))
        if form.is_valid():
            try:
                org = article.org if form.org_id() == article.org_id else \
                    selectors.article_org_for(actor=actor, org_id=form.org_id())
                article = services.article_update(actor=actor, article=article, data=_data(form, org),
                                                  revision=form.cleaned_data["revision"],
                                                  note=form.cleaned_data["note"])
            except KefuError as exc:
                apply_error(form, exc, field_by_code=_FIELD_BY_CODE)
                status = exc.status
            else:
                messages.success(request, _("Article “%(title)s” saved.") % {"title": article.title})
                return redirect("knowledge:article_detail", article_id=article.pk)
        else:
            status = 400
    else:
        form = ArticleForm(initial={
            "title": article.title, "body": article.body, "category": article.category,
            "subcategory": article.subcategory, "tags": ", ".join(article.tag_list),
            "org": str(article.org_id or ""), "valid_from": article.valid_from, "valid_to": article.valid_to,
            "revision": article.revision,
        }, **_form_kwargs(actor))
    return render(request, "knowledge/article_form.html", {
        "form": form, "article": article, "title": _("Edit article"),
        "republishes": article.status == ArticleStatus.PUBLISHED,
    }, status=status)


def _state_change(request, article_id, change, done_message):
    article = _get(request, article_id, edit=True)
    try:
        revision = int(request.POST["revision"]) if request.POST.get("revision") else None
        article = change(actor=request.user, article=article, revision=revision)
    except (KefuError, ValueError) as exc:
        messages.error(request, str(getattr(exc, "message", exc)))
    else:
        messages.success(request, done_message % {"title": article.title, "version": article.version})
    return redirect("knowledge:article_detail", article_id=article.pk)


@perm_required(ARTICLE_EDIT)
@require_POST
@lookup_errors
def article_publish(request, article_id: int):
    return _state_change(request, article_id, services.article_publish,
                         _("Article “%(title)s” published as version %(version)s."))


@perm_required(ARTICLE_EDIT)
@require_POST
@lookup_errors
def article_retire(request, article_id: int):
    return _state_change(request, article_id, services.article_retire, _("Article “%(title)s” retired."))


@perm_required(ARTICLE_EDIT)
@require_POST
@lookup_errors
def article_delete(request, article_id: int):
    article = _get(request, article_id, edit=True)
    try:
        services.article_delete(actor=request.user, article=article)
    except KefuError as exc:
        messages.error(request, str(exc.message))
        return redirect("knowledge:article_detail", article_id=article.pk)
    messages.success(request, _("Draft “%(title)s” deleted.") % {"title": article.title})
    return redirect(reverse("knowledge:article_list"))
