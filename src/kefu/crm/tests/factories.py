"""Test data for customers: valid certificate numbers and ready-made customers."""

from __future__ import annotations

import itertools

from kefu.crm import services
from kefu.crm.validation import credit_code_check_char, id_card_check_digit

_seq = itertools.count(1)


def id_card(*, region: str = "440106", birth: str = "19800202", seq: int | None = None) -> str:
    """A valid 18-digit resident identity card number."""
    n = next(_seq) if seq is None else seq
    first17 = f"{region}{birth}{n % 1000:03d}"
    return first17 + id_card_check_digit(first17)


def credit_code(n: int | None = None) -> str:
    n = next(_seq) if n is None else n
    first17 = f"91440106MA{n:07d}"
    return first17 + credit_code_check_char(first17)


def mobile(n: int | None = None) -> str:
    n = next(_seq) if n is None else n
    return f"137{n:08d}"


def make_customer(*, org, actor="test", name="王伟", number: str | None = None, brand="mzone",
                  tier="standard", vip_level="", certificate_no: str | None = None, address="广州市天河区体育西路123号",
                  service_password="", kind="individual", manager=None, lines: int = 1):
    """A customer with one account and ``lines`` subscribers (the first is ``number``)."""
    numbers = [number or mobile()] + [mobile() for _ in range(lines - 1)]
    return services.customer_create(
        actor=actor, name=name, kind=kind,
        certificate_type="credit_code" if kind == "enterprise" else "id_card",
        certificate_no=certificate_no or (credit_code() if kind == "enterprise" else id_card()),
        address=address, org=org, tier=tier, vip_level=vip_level, manager=manager,
        service_password=service_password,
        accounts=[services.AccountSpec(name=name)],
        subscribers=[services.SubscriberSpec(number=n, brand=brand, plan="5G畅享套餐") for n in numbers[:lines]],
    )
