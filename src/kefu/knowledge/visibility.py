"""Who may read which knowledge: the one place the rules live.

- Articles need ``knowledge.article.view``, cases ``knowledge.case.view``
  (the ``….edit`` permission includes reading: one cannot edit blind).
- Readers see only what agents may rely on now: published articles inside
  their validity window, published cases. Editors (``….edit``) also see
  drafts, retired and expired articles and unpublished cases, to work on them.
- An article limited to an organisation is read by people of that
  organisation's subtree *and* of its ancestors (the province center answers
  for every city), never by a sibling city. Articles without an organisation
  apply everywhere. ``scope.all_orgs`` (or the super role) sees all.
- Editing an article needs its organisation inside the editor's own subtree;
  an article for everywhere may only be edited by someone who sees all
  organisations.

Both the ORM (``selectors``) and the search SQL (``search.query``) build their
filters from ``Access``, so a list and a search can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from kefu.iam.permissions import has_perm
from kefu.orgs.selectors import SCOPE_ALL

ARTICLE_VIEW, ARTICLE_EDIT = "knowledge.article.view", "knowledge.article.edit"
CASE_VIEW, CASE_EDIT = "knowledge.case.view", "knowledge.case.edit"


@dataclass(frozen=True)
class Access:
    articles: bool
    article_editor: bool
    cases: bool
    case_editor: bool
    all_orgs: bool
    home_path: str | None  # the actor's org path ("/1/4/"), None without one

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids of the actor's organisation and its ancestors (from the path)."""
        return [int(p) for p in (self.home_path or "").split("/") if p]

    def org_q(self, field: str = "org") -> Q:
        """Rows whose organisation the actor may read (see module doc)."""
        if self.all_orgs:
            return Q()
        q = Q(**{f"{field}__isnull": True})
        if self.home_path:
            q |= Q(**{f"{field}_id__in": self.ancestor_ids}) | Q(**{f"{field}__path__startswith": self.home_path})
        return q

    def may_edit_org(self, org) -> bool:
        if self.all_orgs:
            return True
        if org is None or not self.home_path:
            return False
        return org.path.startswith(self.home_path)


def access_of(actor) -> Access:
    authenticated = getattr(actor, "is_authenticated", False)
    org = getattr(actor, "org", None) if authenticated and getattr(actor, "org_id", None) else None
    article_editor, case_editor = has_perm(actor, ARTICLE_EDIT), has_perm(actor, CASE_EDIT)
    return Access(
        articles=article_editor or has_perm(actor, ARTICLE_VIEW),
        article_editor=article_editor,
        cases=case_editor or has_perm(actor, CASE_VIEW),
        case_editor=case_editor,
        all_orgs=has_perm(actor, SCOPE_ALL),
        home_path=org.path if org is not None else None,
    )


def live_article_q(now: datetime) -> Q:
    """Published and inside the validity window at ``now``."""
    return (Q(status="published") & (Q(valid_from__isnull=True) | Q(valid_from__lte=now))
            & (Q(valid_to__isnull=True) | Q(valid_to__gt=now)))
