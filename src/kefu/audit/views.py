"""The audit search page. One view answers the full page and, for htmx,
just the results; either way the search goes through
``selectors.audit_log_search`` and is therefore recorded."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from kefu.core.access import perm_required
from kefu.core.errors import KefuError
from kefu.core.htmx import template_for
from kefu.core.pagination import paginate, querystring_without_page

from .forms import AuditSearchForm
from .selectors import AuditFilters, audit_archive_list, audit_log_search

PER_PAGE = 25


@perm_required("audit.log.view")
@require_GET
def search(request):
    form = AuditSearchForm(request.GET or None)
    page, status = None, 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        filters = form.filters() if form.is_bound else AuditFilters()
        try:
            rows = audit_log_search(actor=request.user, filters=filters)
        except KefuError as exc:
            form.add_error(None, str(exc.message))
            status = exc.status
        else:
            page = paginate(request, rows, per_page=PER_PAGE)
    context = {"form": form, "page": page, "qs": querystring_without_page(request)}
    return render(request, template_for(request, "audit/search.html", "audit/partials/_results.html"),
                  context, status=status)


@perm_required("audit.log.view")
@require_GET
def archives(request):
    """The archived months (files under var/, checksums) and the retention that decides them."""
    from .archive import MANIFEST, archive_cutoff, archive_dir, retention_months

    return render(request, "audit/archives.html", {
        "archives": audit_archive_list(actor=request.user), "retention_months": retention_months(),
        "cutoff": archive_cutoff(), "directory": archive_dir(), "manifest": MANIFEST})
