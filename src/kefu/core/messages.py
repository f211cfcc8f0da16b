"""Messages of the API root (kefu/api.py), kept here so core's catalog translates them."""

from django.utils.translation import gettext_lazy as _

INVALID_REQUEST = _("The request is not valid; see details.")
NOT_AUTHENTICATED = _("Log in or present an API token.")
NOT_FOUND = _("Not found.")
BAD_JSON = _("The request body is not valid JSON.")
