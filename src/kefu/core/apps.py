from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kefu.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.utils.translation import gettext

        from . import (
            checks,  # noqa: F401 - registers the deployment checks
            lazytext,
        )

        lazytext.set_translator(gettext)
