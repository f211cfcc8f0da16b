import importlib

from django.apps import apps
from django.urls import include, path

from .api import api
from .core.urlgroups import grouped

urlpatterns = [
    path("api/", grouped(api.urls)),
    path("i18n/", include("django.conf.urls.i18n")),
]

# Each app with a urls.py is mounted under its label; core at the root.
for _config in apps.get_app_configs():
    if not _config.name.startswith("kefu."):
        continue
    try:
        importlib.import_module(f"{_config.name}.urls")
    except ModuleNotFoundError as exc:
        if exc.name != f"{_config.name}.urls":
            raise
        continue
    prefix = "" if _config.label == "core" else f"{_config.label}/"
    urlpatterns.append(path(prefix, include(f"{_config.name}.urls")))

if apps.is_installed("kefu.webchat"):  # the customers' chat pages, outside the staff's app prefixes
    urlpatterns.append(path("chat/", include("kefu.webchat.public_urls")))
if apps.is_installed("kefu.notices"):  # the customers' own notice choices
    urlpatterns.append(path("subscribe/", include("kefu.notices.public_urls")))

# Errors Django answers itself: the JSON error format under /api/, the usual pages elsewhere.
handler400 = "kefu.core.http_errors.bad_request"
handler403 = "kefu.core.http_errors.permission_denied"
handler404 = "kefu.core.http_errors.page_not_found"
handler500 = "kefu.core.http_errors.server_error"
