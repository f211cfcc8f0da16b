"""The signed link of a web questionnaire: the survey's token, signed and dated.

The token alone is unguessable; the signature adds an expiry (``surveys.link_days``) without a column to
keep it, and lets a link be checked before any database read.
"""

from django.core import signing

SALT = "kefu.surveys.link"


def link_sign(token: str) -> str:
    return signing.TimestampSigner(salt=SALT).sign(token)


def link_token(signed: str, *, max_age_days: int) -> str | None:
    """The token of a signed link still valid; ``None`` for a forged, altered or expired one."""
    try:
        return signing.TimestampSigner(salt=SALT).unsign(signed, max_age=max_age_days * 86400)
    except signing.BadSignature:
        return None
