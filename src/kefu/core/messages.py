"""Messages of the API root (kefu/api.py) and the request guard, kept here so core's catalog translates them."""

from django.utils.translation import gettext_lazy as _

INVALID_REQUEST = _("The request is not valid; see details.")
NOT_AUTHENTICATED = _("Log in or present an API token.")
NOT_FOUND = _("Not found.")
BAD_JSON = _("The request body is not valid JSON.")
BAD_REQUEST = _("The request is not valid.")
NUL_CHARACTER = _("The request contains a NUL character (\\u0000), which no field accepts.")
PERMISSION_DENIED = _("You lack the permission for this action.")
SERVER_ERROR = _("The server failed to answer; the error has been logged.")
CSRF_FAILED = _("The CSRF check failed: reload the page, or authenticate with an API token.")
TOO_LARGE = _("The request body is larger than the server accepts.")
METHOD_NOT_ALLOWED = _("This URL does not accept that method.")
NUMBER_OUT_OF_RANGE = _("A number in the request is beyond what the server can store.")
