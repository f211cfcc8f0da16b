from django.utils.translation import gettext as _
from ninja import Router

from kefu.core.access import actor_of, requires
from kefu.core.errors import NotFound, ValidationFailed
from kefu.orgs.selectors import org_find

from .. import selectors
from ..models import ProcessTemplate
from ..services.templates import (
    template_create,
    template_out_of_reach,
    template_version_create,
    templates_ensure_defaults,
    templates_read_only,
)
from .schemas import TemplateIn, TemplateOut, TemplateVersionIn

router = Router()


def _out(t: ProcessTemplate, *, read_only: bool) -> dict:
    v = t.current_version()
    return {"id": t.pk, "kind": t.kind, "name": t.name, "org": t.org.code if t.org_id else None,
            "product": t.product, "active": t.active, "version": v.number if v else 0,
            "definition": v.definition if v else {}, "read_only": read_only}


@router.get("/templates", response=list[TemplateOut], summary="Process templates")
@requires("workorders.template.view")
def list_templates(request, kind: str = ""):
    templates_ensure_defaults(actor=actor_of(request))
    actor = actor_of(request)
    read_only = templates_read_only(actor)
    return [_out(t, read_only=read_only(t)) for t in selectors.template_list(kind=kind)]


@router.get("/templates/{template_id}", response=TemplateOut, summary="One process template")
@requires("workorders.template.view")
def get_template(request, template_id: int):
    t = selectors.template_find(template_id=template_id)
    if t is None:
        raise NotFound(_("Template not found."), code="template_not_found")
    return _out(t, read_only=template_out_of_reach(actor_of(request), t))


@router.post("/templates", response={201: TemplateOut}, summary="Create a process template")
@requires("workorders.template.edit")
def create_template(request, payload: TemplateIn):
    org = None
    if payload.org:
        # An organisation outside the caller's branch is answered like one that does not exist.
        org = org_find(code=payload.org, actor=actor_of(request))
        if org is None:
            raise ValidationFailed(_("Unknown organisation %(code)s.") % {"code": payload.org}, code="unknown_org")
    t = template_create(actor=actor_of(request), kind=payload.kind, name=payload.name, definition=payload.definition,
                        org=org, product=payload.product)
    return 201, _out(t, read_only=template_out_of_reach(actor_of(request), t))


@router.post("/templates/{template_id}/versions", response={201: TemplateOut},
             summary="Publish a new version (running orders keep theirs)")
@requires("workorders.template.edit")
def new_version(request, template_id: int, payload: TemplateVersionIn):
    t = selectors.template_find(template_id=template_id)
    if t is None:
        raise NotFound(_("Template not found."), code="template_not_found")
    template_version_create(actor=actor_of(request), template=t, definition=payload.definition, note=payload.note)
    return 201, _out(t, read_only=template_out_of_reach(actor_of(request), t))
