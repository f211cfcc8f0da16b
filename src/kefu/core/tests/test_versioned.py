"""Per-process caches: fresh after any change, on this process and on another, and after a rollback."""

import pytest
from django.core.cache import cache
from django.db import transaction

from kefu.core import versioned
from kefu.core.testing import make_org, make_staff
from kefu.params.models import ParameterValue
from kefu.params.selectors import _values, param_get
from kefu.params.services import param_set

KEY = "workorders.escalate_after_reminders"


@pytest.fixture
def staff(db):
    return make_staff(org=make_org(code="GD", name="广东", kind="province"))


@pytest.fixture
def committed(db):
    """As a server sees the database once the fixtures' transactions committed."""
    versioned.reset_all()


def test_a_cached_value_costs_no_query(committed, django_assert_num_queries):
    param_get(KEY)
    with django_assert_num_queries(0):
        assert param_get(KEY) == 2


def test_a_change_is_seen_at_once_by_the_writer(committed, staff):
    assert param_get(KEY) == 2
    param_set(actor=staff, key=KEY, raw="5")
    assert param_get(KEY) == 5


def test_another_process_change_is_seen_on_the_next_read(committed):
    assert param_get(KEY) == 2
    # another process wrote the row and replaced the shared token; this process has no signal of it
    ParameterValue.objects.bulk_create([ParameterValue(key=KEY, value=7, version=1)])
    assert param_get(KEY) == 2  # still the cached value: the token did not move
    cache.set(_values.key, "from-another-process")
    assert param_get(KEY) == 7


def test_a_rolled_back_change_leaves_no_stale_value(committed, staff):
    from django.db import connection

    assert param_get(KEY) == 2
    with pytest.raises(RuntimeError), transaction.atomic():
        param_set(actor=staff, key=KEY, raw="9")
        assert param_get(KEY) == 9  # the writer's own transaction sees its change
        raise RuntimeError
    assert connection.in_atomic_block  # the test's own transaction: the cache stays bypassed, not stale
    assert param_get(KEY) == 2


def test_the_token_is_replaced_again_on_commit(committed, django_capture_on_commit_callbacks):
    """A process that reloaded between the change and its commit saw the old rows: it must reload again."""
    with django_capture_on_commit_callbacks(execute=True):
        _values.invalidate()
        during = cache.get(_values.key)
    assert cache.get(_values.key) != during
