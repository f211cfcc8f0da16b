"""Work-order API, mounted at /api/workorders/."""

from ninja import Router

from . import coordination, digests, orders, templates

router = Router(tags=["work orders"])
router.add_router("", orders.router)
router.add_router("", templates.router)
router.add_router("", coordination.router)
router.add_router("", digests.router)
