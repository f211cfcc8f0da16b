"""The audit search by customer is answered from an index on PostgreSQL, not by scanning the log's JSON.

(Its results are tested on both databases in test_selectors.py; bench/audit_search.py measures it on a big
log.)
"""

import pytest
from django.db import connection

from kefu.audit.reads import audit_read
from kefu.audit.selectors import AuditFilters, audit_entry_list
from kefu.core.testing import make_staff

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index is PostgreSQL's")


def _plan(qs) -> str:
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        # A test table is tiny: take the sequential scan away so the plan shows whether an index can answer.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_customer_condition_is_answered_by_the_customers_index(province):
    auditor = make_staff(org=province, perms=["audit.log.view", "scope.all_orgs"], employee_no="aud01")
    reader = make_staff(org=province, employee_no="r001")
    for n in range(20):
        audit_read(actor=reader, object_type="workorders.workorder", items=[(n, f"ZX{n}")], customers=[n, n + 100])
    qs = audit_entry_list(actor=auditor, filters=AuditFilters(customer=7))
    plan = _plan(qs)
    assert "audit_customers_gin" in plan, plan
    assert "audit_object_idx" in plan, plan  # the customer as the object of an entry
    assert [e.conditions["customers"] for e in qs] == [[7, 107]]
