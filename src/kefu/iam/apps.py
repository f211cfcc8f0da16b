from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IamConfig(AppConfig):
    name = "kefu.iam"
    label = "iam"
    verbose_name = _("Staff and permissions")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import permissions, registry

        registry.autodiscover()
        permissions.grants_cache()  # listen for grant changes from the start (see core.versioned)
        post_migrate.connect(_sync_after_migrate, sender=self)


def _sync_after_migrate(sender, using="default", **kwargs):
    from .services.permission_tree import permission_tree_sync

    permission_tree_sync(using=using)
