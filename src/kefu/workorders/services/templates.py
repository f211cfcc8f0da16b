"""Process templates: defaults, choosing one for a new order, new versions."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_create, audit_record
from kefu.core.errors import NotFound, PermissionDenied, ValidationFailed
from kefu.core.versioned import VersionedCache

from .. import workflow
from ..default_templates import DEFAULTS
from ..kinds import Kind
from ..models import ProcessTemplate, TemplateVersion
from ..template_problems import problem_texts

_cache: dict[int, workflow.Template] = {}


def compiled(version: TemplateVersion) -> workflow.Template:
    """Parsed definition of a version (versions never change, so caching is safe)."""
    tpl = _cache.get(version.pk)
    if tpl is None:
        tpl = _cache[version.pk] = workflow.parse(version.definition)
    return tpl


def compiled_by_id(version_id: int) -> workflow.Template:
    """Like ``compiled`` when only the id is at hand (list pages: no extra query per row)."""
    tpl = _cache.get(version_id)
    if tpl is None:
        tpl = compiled(TemplateVersion.objects.get(pk=version_id))
    return tpl


@transaction.atomic
def templates_ensure_defaults(*, actor="system") -> int:
    """Create the default template of every kind that has none. Idempotent."""
    made = 0
    for kind, definition in DEFAULTS.items():
        if ProcessTemplate.objects.filter(kind=kind, org__isnull=True, product="").exists():
            continue
        tpl = ProcessTemplate.objects.create(kind=kind, name=f"{Kind(kind).label}", org=None)
        TemplateVersion.objects.create(template=tpl, number=1, definition=definition, note="default")
        audit_create(actor=actor, obj=tpl, fields=("kind", "name", "org", "product"))
        made += 1
    return made


def _active_templates() -> dict[str, list[tuple[ProcessTemplate, TemplateVersion | None]]]:
    """Every active template with its current version, by kind (two queries; a few dozen rows)."""
    templates = list(ProcessTemplate.objects.filter(active=True))
    current: dict[int, TemplateVersion] = {}
    for v in TemplateVersion.objects.filter(template__active=True).order_by("template_id", "number"):
        current[v.template_id] = v  # the highest number wins
    by_kind: dict[str, list[tuple[ProcessTemplate, TemplateVersion | None]]] = {}
    for t in templates:
        by_kind.setdefault(t.kind, []).append((t, current.get(t.pk)))
    return by_kind


_active = VersionedCache("workorders.templates", _active_templates, watch=(ProcessTemplate, TemplateVersion))


def template_for(*, kind: str, org=None, product: str = "") -> TemplateVersion:
    """The current version of the most specific active template for a new order.

    Specific beats general: same product and the nearest organisation up the tree,
    then product only, then organisation only, then the kind's default. The
    templates come from the per-process cache; the organisation tree is read
    from ``org.path`` so a moved organisation needs no invalidation here.
    """
    candidates = _active.get().get(kind)
    if not candidates:
        templates_ensure_defaults()
        candidates = _active.get().get(kind)
    if not candidates:
        raise NotFound(_("No process template exists for this kind of order."), code="no_template")
    up = [int(x) for x in org.path.strip("/").split("/") if x] if org is not None else []

    def score(t: ProcessTemplate) -> tuple[int, int] | None:
        if t.product and t.product != product:
            return None
        depth = -1
        if t.org_id is not None:
            if t.org_id not in up:
                return None
            depth = up.index(t.org_id)
        return (1 if t.product else 0, depth)

    scored = [(s, version) for t, version in candidates if (s := score(t)) is not None]
    if not scored:
        raise NotFound(_("No process template applies to this order."), code="no_template")
    version = max(scored, key=lambda pair: pair[0])[1]
    if version is None:
        raise NotFound(_("The process template has no version."), code="no_template")
    return version


def _is_person(actor) -> bool:
    return getattr(actor, "pk", None) is not None and hasattr(actor, "org_id")


def org_out_of_reach(actor, org) -> bool:
    """True when ``actor`` may not own a template for ``org`` (``None``: the global template).

    A template applies to its organisation's whole subtree, so it belongs to whoever is over that
    organisation; a global one belongs to whoever holds the top of the tree. System actors (plain strings:
    the seed, the worker, tests) are trusted.
    """
    if not _is_person(actor):
        return False
    from kefu.orgs.selectors import holds_whole_tree, org_is_visible

    if org is None:
        return not holds_whole_tree(actor)
    return not org_is_visible(actor, org)


def template_out_of_reach(actor, template: ProcessTemplate) -> bool:
    """True when ``template`` is read-only to ``actor`` (owned outside their organisations)."""
    return org_out_of_reach(actor, template.org if template.org_id else None)


def templates_read_only(actor):
    """A test ``template → read-only?`` for listing many templates (asks about the top of the tree once)."""
    top: list[bool] = []

    def read_only(template: ProcessTemplate) -> bool:
        if not _is_person(actor):
            return False
        if template.org_id is None:
            if not top:
                top.append(org_out_of_reach(actor, None))
            return top[0]
        return org_out_of_reach(actor, template.org)

    return read_only


def _refuse_out_of_reach(template_name: str, org) -> None:
    where = org.name if org is not None else _("every organisation")
    raise PermissionDenied(
        _("Template “%(name)s” serves %(org)s, outside your organisations: only someone over it can change it.")
        % {"name": template_name, "org": where},
        code="template_out_of_reach", details={"org": org.code if org is not None else None},
    )


def check_template_in_reach(actor, template: ProcessTemplate) -> None:
    if template_out_of_reach(actor, template):
        _refuse_out_of_reach(template.name, template.org if template.org_id else None)


@transaction.atomic
def template_version_create(*, actor, template: ProcessTemplate, definition: dict, note: str = "") -> TemplateVersion:
    """Validate and store a new version; orders already running keep theirs."""
    check_template_in_reach(actor, template)
    try:
        workflow.parse(definition)
    except workflow.TemplateError as exc:
        problems = problem_texts(exc.issues)
        raise ValidationFailed(
            _("The template cannot run: %(problems)s") % {"problems": "; ".join(problems)},
            code="invalid_template", details={"problems": problems},
        ) from None
    template = ProcessTemplate.objects.select_for_update().get(pk=template.pk)
    number = (template.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = TemplateVersion.objects.create(
        template=template, number=number, definition=definition, note=note[:200],
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=template,
                 changes={"version": [number - 1, number]}, note=note[:200])
    return version


@transaction.atomic
def template_create(*, actor, kind: str, name: str, definition: dict, org=None, product: str = "") -> ProcessTemplate:
    if org_out_of_reach(actor, org):
        _refuse_out_of_reach((name or "").strip(), org)
    if kind not in Kind.values:
        raise ValidationFailed(_("Unknown kind of work order."), code="invalid_kind")
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("The name is required."), code="required")
    if ProcessTemplate.objects.filter(kind=kind, name=name).exists():
        from kefu.core.errors import Conflict

        raise Conflict(_("A template with this name already exists for this kind."), code="duplicate_name")
    tpl = ProcessTemplate.objects.create(kind=kind, name=name, org=org, product=product.strip())
    audit_create(actor=actor, obj=tpl, fields=("kind", "name", "org", "product"))
    template_version_create(actor=actor, template=tpl, definition=definition, note="created")
    return tpl
