"""The wallboard's socket: it hears what the supervisor view hears ("something changed"); the page refetches."""

from kefu.contactcenter.consumers import SupervisorConsumer


class WallboardConsumer(SupervisorConsumer):
    permission = "kpi.wallboard.view"
