"""Staff login with a growing lockout after repeated failures (per account and per client address), and
API-token auth."""

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

from .models import ApiToken, LoginThrottle, Staff


class LoginLocked(Exception):
    """The login may not be tried until ``until``: the account (``by_address`` False) or the client
    address (``by_address`` True) failed too often."""

    def __init__(self, until, *, by_address: bool = False):
        self.until = until
        self.by_address = by_address


def _address(request) -> str:
    from kefu.core.middleware import client_ip

    return client_ip(request)[:45] if request is not None and hasattr(request, "META") else ""


def _address_blocked_until(address: str):
    if not address:
        return None
    row = LoginThrottle.objects.filter(address=address).first()  # unique index on address
    if row is not None and row.blocked_until is not None and row.blocked_until > clock.now():
        return row.blocked_until
    return None


def _count_address_failure(address: str, employee_no: str) -> None:
    """Count a failed login from ``address`` (any account, known or not); block it past the limit."""
    if not address:
        return
    now = clock.now()
    window = param_get("iam.login.address_window")
    with transaction.atomic():
        row, _created = LoginThrottle.objects.select_for_update().get_or_create(
            address=address, defaults={"window_started_at": now})
        if row.window_started_at + window <= now:
            row.failures, row.window_started_at = 0, now
        row.failures += 1
        if row.failures >= param_get("iam.login.address_max_failures") and not (
                row.blocked_until and row.blocked_until > now):
            row.blocked_until = now + window
            audit_record(actor=employee_no or "login", action=AuditAction.LOCK, object_type="iam.client_address",
                         object_id=address, object_repr=address,
                         note=f"{row.failures} failed logins from one address; blocked until {row.blocked_until}")
        row.save()


def _lock_delay(staff: Staff):
    """The growing lockout after the allowed failures: the first delay, doubled for each further failure, up
    to the longest lockout. The last active super administrator only ever waits the first delay, so that a
    stranger guessing cannot shut the one person out who could unlock everyone else."""
    from .services.guards import other_super_admins_exist

    first = param_get("iam.login.delay")
    extra = staff.failed_logins - param_get("iam.login.max_failures")
    if staff.role_id and staff.role.is_super and staff.is_active and not other_super_admins_exist(
            excluding_staff=staff):
        return first
    longest = max(param_get("iam.login.lockout"), first)
    return min(first * (2 ** min(extra, 30)), longest)


class StaffBackend(BaseBackend):
    """Authenticate by employee number (工号).

    Failures count per account and per client address. After ``iam.login.max_failures`` wrong passwords
    in a row the account waits a growing delay (``iam.login.delay`` doubled per further failure, at most
    ``iam.login.lockout``); another administrator can lift it at once (``staff_unlock``). An address with
    ``iam.login.address_max_failures`` failures within ``iam.login.address_window`` waits out the window.
    Every lock is audited.
    """

    def authenticate(self, request, employee_no=None, password=None, **kwargs):
        employee_no = employee_no or kwargs.get("username")
        if not employee_no or password is None:
            return None
        address = _address(request)
        blocked = _address_blocked_until(address)
        if blocked is not None:
            raise LoginLocked(blocked, by_address=True)
        try:
            staff = Staff.objects.select_related("role").get(employee_no=employee_no)
        except Staff.DoesNotExist:
            Staff().set_password(password)  # same cost as a real check: no timing oracle
            _count_address_failure(address, employee_no)
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
                delay = _lock_delay(staff)
                locked_until = clock.now() + delay
                Staff.objects.filter(pk=staff.pk).update(locked_until=locked_until)
                audit_record(actor=employee_no, action=AuditAction.LOCK, obj=staff,
                             note=f"too many failed logins ({staff.failed_logins}); locked for "
                                  f"{int(delay.total_seconds())} s",
                             changes={"locked_until": [None, locked_until.isoformat()]})
        _count_address_failure(address, employee_no)
        if locked_until is not None:
            raise LoginLocked(locked_until)
        return None

    def get_user(self, user_id):
        # A suspended or departed person's session stops at once, like their API tokens.
        staff = Staff.objects.select_related("role", "org").filter(pk=user_id).first()
        return staff if staff is not None and staff.is_active else None


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
        if not row.staff.is_active or row.staff.is_locked():
            # A suspended, departed or locked account's tokens stop at once.
            return None
        # Record use at most every few minutes: a write per request would make every read a commit.
        if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.staff
        return row.staff
