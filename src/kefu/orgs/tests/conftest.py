"""Fixtures of the organisation tests: a small tree around the root fixtures
(``province`` GD → ``city`` GZ / ``other_city`` SZ)."""

import pytest

from kefu.core.testing import make_org


@pytest.fixture
def tree(province, city, other_city):
    """GD → GZ → GZ-KF → GZ-KF-1; GD → SZ; GD → EXT-BOSS (external, billing)."""
    kf = make_org(code="GZ-KF", name="广州客服部", kind="department", parent=city)
    kf1 = make_org(code="GZ-KF-1", name="广州客服一组", kind="department", parent=kf)
    boss = make_org(code="EXT-BOSS", name="BOSS计费", kind="external", parent=province, external_kind="billing")
    return {"gd": province, "gz": city, "sz": other_city, "kf": kf, "kf1": kf1, "boss": boss}


@pytest.fixture(autouse=True)
def _english():
    """Service messages are asserted in English (the msgids); pages and the
    API pick their language per request, so this does not hide translations."""
    from django.utils import translation

    with translation.override("en"):
        yield
