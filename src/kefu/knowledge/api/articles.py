
from ninja import Query, Router
from ninja.pagination import paginate

from kefu.core.access import actor_of, requires
from kefu.core.pagination import Pagination

from .. import selectors
from ..services import articles as services
from ..visibility import ARTICLE_EDIT, ARTICLE_VIEW
from .schemas import (
    ArticleFilters,
    ArticleIn,
    ArticleOut,
    ArticlePatch,
    ArticleRow,
    ArticleVersionOut,
    RevisionIn,
)

router = Router()


def _default_org_id(actor):
    """An editor who does not name an organisation writes for their own
    (or for everywhere, if they see all organisations)."""
    return None if selectors.may_write_everywhere(actor) else actor.org_id


@router.get("/articles", response=list[ArticleRow], summary="Articles (readers: live ones; editors: all)")
@requires(ARTICLE_VIEW, ARTICLE_EDIT, any_of=True)
@paginate(Pagination)
def article_list(request, filters: Query[ArticleFilters]):
    return selectors.article_list(actor=actor_of(request), **filters.dict())


@router.post("/articles", response={201: ArticleOut}, summary="Write an article (draft, or published at once)")
@requires(ARTICLE_EDIT)
def article_create(request, payload: ArticleIn):
    actor = actor_of(request)
    org_id = payload.org_id if "org_id" in payload.model_fields_set else _default_org_id(actor)
    org = selectors.article_org_for(actor=actor, org_id=org_id)
    data = services.ArticleData(
        title=payload.title, body=payload.body, category=payload.category, subcategory=payload.subcategory,
        tags=payload.tags, org=org, valid_from=payload.valid_from, valid_to=payload.valid_to,
    )
    return 201, services.article_create(actor=actor, data=data, publish=payload.publish, note=payload.note)


@router.get("/articles/{int:article_id}", response=ArticleOut, summary="One article")
@requires(ARTICLE_VIEW, ARTICLE_EDIT, any_of=True)
def article_get(request, article_id: int):
    return selectors.article_get(actor=actor_of(request), article_id=article_id)


@router.patch("/articles/{int:article_id}", response=ArticleOut,
              summary="Change an article (a published one is republished as a new version)")
@requires(ARTICLE_EDIT)
def article_update(request, article_id: int, payload: ArticlePatch):
    actor = actor_of(request)
    article = selectors.article_for_edit(actor=actor, article_id=article_id)
    # Fields not sent keep their value; for the validity bounds an explicit
    # null removes the bound, for the other fields null means "unchanged".
    sent = {k: v for k, v in payload.dict(exclude_unset=True).items()
            if v is not None or k in ("valid_from", "valid_to", "org_id")}
    org = article.org
    if "org_id" in sent and sent["org_id"] != article.org_id:
        org = selectors.article_org_for(actor=actor, org_id=sent["org_id"])
    fields = ("title", "body", "category", "subcategory", "tags", "valid_from", "valid_to")
    data = services.ArticleData(org=org, **{f: sent[f] if f in sent else getattr(article, f) for f in fields})
    return services.article_update(actor=actor, article=article, data=data, revision=payload.revision,
                                   note=payload.note)


@router.delete("/articles/{int:article_id}", response={204: None}, summary="Delete a never-published draft")
@requires(ARTICLE_EDIT)
def article_delete(request, article_id: int):
    actor = actor_of(request)
    services.article_delete(actor=actor, article=selectors.article_for_edit(actor=actor, article_id=article_id))
    return 204, None


@router.post("/articles/{int:article_id}/publish", response=ArticleOut, summary="Publish as the next version")
@requires(ARTICLE_EDIT)
def article_publish(request, article_id: int, payload: RevisionIn):
    actor = actor_of(request)
    article = selectors.article_for_edit(actor=actor, article_id=article_id)
    return services.article_publish(actor=actor, article=article, revision=payload.revision, note=payload.note)


@router.post("/articles/{int:article_id}/retire", response=ArticleOut, summary="Withdraw from agents")
@requires(ARTICLE_EDIT)
def article_retire(request, article_id: int, payload: RevisionIn):
    actor = actor_of(request)
    article = selectors.article_for_edit(actor=actor, article_id=article_id)
    return services.article_retire(actor=actor, article=article, revision=payload.revision)


@router.get("/articles/{int:article_id}/versions", response=list[ArticleVersionOut],
            summary="Every published version, newest first")
@requires(ARTICLE_VIEW, ARTICLE_EDIT, any_of=True)
def article_versions(request, article_id: int):
    article = selectors.article_get(actor=actor_of(request), article_id=article_id)
    return list(selectors.article_versions(article=article))


@router.get("/articles/{int:article_id}/versions/{int:number}", response=ArticleVersionOut, summary="One version")
@requires(ARTICLE_VIEW, ARTICLE_EDIT, any_of=True)
def article_version(request, article_id: int, number: int):
    article = selectors.article_get(actor=actor_of(request), article_id=article_id)
    return selectors.article_version_get(article=article, number=number)
