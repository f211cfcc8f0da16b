"""Typed errors that services raise and the API/UI turn into 4xx answers.

Services never know about HTTP; they raise a ``KefuError`` subclass carrying a
stable machine code and a translated message. The API maps each to its status
(see ``kefu.api``), views show the message to the user.
"""

from __future__ import annotations

from typing import Any


class KefuError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: Any, *, code: str | None = None, details: Any = None):
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        self.details = details

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self.message), "details": self.details}


class ValidationFailed(KefuError):
    status = 400
    code = "invalid"


class NotAuthenticated(KefuError):
    status = 401
    code = "not_authenticated"


class PermissionDenied(KefuError):
    status = 403
    code = "permission_denied"


class NotFound(KefuError):
    status = 404
    code = "not_found"


class Conflict(KefuError):
    status = 409
    code = "conflict"


class Locked(KefuError):
    status = 423
    code = "locked"
