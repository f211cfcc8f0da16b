"""Callbacks for supervisors: who is to be called back, how each attempt went, and how it ended."""

from django.http import Http404
from django.shortcuts import render

from kefu.core.access import perm_required
from kefu.core.errors import NotFound
from kefu.core.pagination import paginate, querystring_without_page

from .. import selectors


@perm_required("contactcenter.callback.view")
def callback_list(request):
    states = selectors.callback_states()
    state = request.GET.get("state", "")
    state = state if state in dict(states) else ""
    page = paginate(request, selectors.callback_list(actor=request.user, state=state))
    return render(request, "contactcenter/callbacks.html", {
        "page": page, "states": states, "state": state, "qs": querystring_without_page(request)})


@perm_required("contactcenter.callback.view")
def callback_detail(request, pk):
    try:
        callback = selectors.callback_get(actor=request.user, callback_id=pk)
    except NotFound:
        raise Http404 from None
    return render(request, "contactcenter/callback_detail.html", {
        "callback": callback, "dials": selectors.callback_dials(callback)})
