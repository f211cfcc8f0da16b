"""Staff login with lockout after repeated failures, and API-token auth."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.contrib.auth.backends import BaseBackend
from django.db import transaction
from django.db.models import F
from ninja.security import HttpBearer

from kefu.audit.services import AuditAction, audit_record
from kefu.core import clock
from kefu.params.selectors import param_get

from .models import ApiToken, Staff


class LoginLocked(Exception):
    def __init__(self, until):
        self.until = until


class StaffBackend(BaseBackend):
    """Authenticate by employee number (工号); lock after N failures in a row."""

    def authenticate(self, request, employee_no=None, password=None, **kwargs):
        employee_no = employee_no or kwargs.get("username")
        if not employee_no or password is None:
            return None
        try:
            staff = Staff.objects.select_related("role").get(employee_no=employee_no)
        except Staff.DoesNotExist:
            Staff().set_password(password)  # same cost as a real check: no timing oracle
            return None
        if staff.is_locked():
            raise LoginLocked(staff.locked_until)
        if staff.check_password(password) and staff.is_active:
            if staff.failed_logins or staff.locked_until:
                Staff.objects.filter(pk=staff.pk).update(failed_logins=0, locked_until=None)
                staff.failed_logins, staff.locked_until = 0, None
            return staff
        locked_until = None
        with transaction.atomic():
            Staff.objects.filter(pk=staff.pk).update(failed_logins=F("failed_logins") + 1)
            staff.refresh_from_db(fields=["failed_logins"])
            audit_record(actor=employee_no, action=AuditAction.LOGIN_FAILED, obj=staff)
            if staff.failed_logins >= param_get("iam.login.max_failures"):
                locked_until = clock.now() + param_get("iam.login.lockout")
                Staff.objects.filter(pk=staff.pk).update(locked_until=locked_until, failed_logins=0)
                audit_record(actor=employee_no, action=AuditAction.LOCK, obj=staff, note="too many failed logins")
        if locked_until is not None:
            raise LoginLocked(locked_until)
        return None

    def get_user(self, user_id):
        try:
            return Staff.objects.select_related("role", "org").get(pk=user_id)
        except Staff.DoesNotExist:
            return None


TOKEN_PREFIX = "kefu_"
LAST_USED_RESOLUTION = timedelta(minutes=5)


def hash_token(secret: str) -> str:
    # Tokens are 32 random bytes, so a fast hash is enough (no dictionary to try).
    return hashlib.sha256(secret.encode()).hexdigest()


class TokenAuth(HttpBearer):
    """``Authorization: Bearer kefu_<prefix>_<secret>`` → the token's staff member."""

    def authenticate(self, request, token):
        if not token.startswith(TOKEN_PREFIX):
            return None
        try:
            prefix = token[len(TOKEN_PREFIX):].split("_", 1)[0]
        except IndexError:
            return None
        row = ApiToken.objects.select_related("staff", "staff__role", "staff__org").filter(prefix=prefix).first()
        if row is None or row.revoked_at is not None:
            return None
        now = clock.now()
        if row.expires_at and row.expires_at <= now:
            return None
        import hmac

        if not hmac.compare_digest(row.token_hash, hash_token(token)):
            return None
        if not row.staff.is_active:
            return None
        # Record use at most every few minutes: a write per request would make every read a commit.
        if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.staff
        return row.staff
