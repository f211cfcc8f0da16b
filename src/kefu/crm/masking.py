"""Masking of sensitive customer fields (certificate number, address).

Every read path shows the masked form; the clear value only leaves through
``selectors.customer_reveal``, which checks ``crm.customer.reveal`` and writes
an audit entry. Even holders of that permission see masked values until they
ask, so that screens left open or shared do not show identities.
"""

from __future__ import annotations

# Where the district (or, failing that, the city) ends; everything after is masked.
_ADMIN_SUFFIXES = ("区县旗", "市")
MASK = "****"


def mask_certificate(value: str) -> str:
    """``440106199001011234`` → ``4401**********1234``: region and last four stay."""
    if not value:
        return ""
    if len(value) <= 8:
        keep = max(1, len(value) // 4)
        return value[:keep] + "*" * (len(value) - 2 * keep) + value[-keep:]
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_address(value: str) -> str:
    """``广州市天河区体育西路123号`` → ``广州市天河区****``: the district stays, the street goes."""
    if not value:
        return ""
    head = value[:10]
    cut = -1
    for suffixes in _ADMIN_SUFFIXES:
        cut = max(head.rfind(s) for s in suffixes)
        if cut > 0:
            break
    if cut < 1 or cut + 1 >= len(value):
        cut = min(len(value) // 2, 6) - 1
    return value[: cut + 1] + MASK
