"""Fixtures shared by the whole suite."""

import pytest

from kefu.core import clock
from kefu.core.testing import JsonClient, client_for, make_org, make_staff


def pytest_configure(config):
    from kefu.core.i18n import compile_translations

    compile_translations()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests hash hundreds of passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_template_cache():
    """Template versions are immutable in production, but a test database reuses their ids."""
    from kefu.core import versioned
    from kefu.workorders.services import templates

    templates._cache.clear()
    versioned.reset_all()


@pytest.fixture(autouse=True)
def _real_clock():
    clock.reset()
    yield
    clock.reset()


@pytest.fixture
def province(db):
    return make_org(code="GD", name="广东省客服中心", kind="province")


@pytest.fixture
def city(province):
    return make_org(code="GZ", name="广州分公司", kind="city", parent=province)


@pytest.fixture
def other_city(province):
    return make_org(code="SZ", name="深圳分公司", kind="city", parent=province)


@pytest.fixture
def admin(province):
    """A super-role administrator at the province center."""
    return make_staff(org=province, employee_no="admin", name="管理员", is_super=True, position="admin")


@pytest.fixture
def nobody(province):
    """A logged-in person with no permissions at all."""
    return make_staff(org=province, employee_no="nobody", name="无权限")


@pytest.fixture
def admin_api(admin):
    return JsonClient(client_for(admin))


@pytest.fixture
def nobody_api(nobody):
    return JsonClient(client_for(nobody))


@pytest.fixture
def anon_api():
    return JsonClient()


@pytest.fixture
def staff_factory(province):
    def make(*perms, org=None, **kw):
        return make_staff(org=org or province, perms=perms, **kw)

    return make
