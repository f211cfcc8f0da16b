"""Readable before → after values."""

from kefu.audit.display import (
    change_rows,
    condition_rows,
    format_value,
    object_type_label,
    register_object_type,
)
from kefu.audit.models import AuditEntry


def test_values_are_shown_readably():
    assert format_value(None) == "—"
    assert format_value(True) in ("Yes", "是")
    assert format_value(["a", "b"]) == "a, b"
    assert format_value({"b": 1, "a": "中"}) == '{"a": "中", "b": 1}'
    assert len(format_value("x" * 500)) == 200


def test_change_rows_use_field_names_of_the_model(db):
    entry = AuditEntry(object_type="orgs.organisation", changes={"name": ["甲", "乙"], "parent": [None, 3]})
    rows = change_rows(entry)
    assert [(r.before, r.after) for r in rows] == [("甲", "乙"), ("—", "3")]
    assert rows[0].field in ("name", "名称")


def test_registered_types_get_their_label_and_formatter():
    register_object_type("test.thing", "Thing", lambda object_id, field, value: f"<{value}>")
    assert object_type_label("test.thing") == "Thing"
    entry = AuditEntry(object_type="test.thing", changes={"value": [1, 2]})
    assert [(r.before, r.after) for r in change_rows(entry)] == [("<1>", "<2>")]


def test_unknown_types_and_odd_shapes_do_not_break_the_page():
    assert object_type_label("nowhere.nothing") == "nowhere.nothing"
    assert object_type_label("") == ""
    assert change_rows(AuditEntry(object_type="x", changes={"a": "not a pair"}))[0].after == "not a pair"
    assert condition_rows(AuditEntry(conditions={"q": "138"})) == [("q", "138")]


def test_foreign_keys_show_the_related_name(province, city, other_city):
    entry = AuditEntry(object_type="orgs.organisation", changes={"parent": [city.pk, other_city.pk]})
    (row,) = change_rows(entry)
    assert (row.before, row.after) == ("广州分公司 (GZ)", "深圳分公司 (SZ)")
    gone = AuditEntry(object_type="orgs.organisation", changes={"parent": [999999, None]})
    assert [(r.before, r.after) for r in change_rows(gone)] == [("999999", "—")]


def test_logged_times_show_in_the_centers_time_zone():
    assert format_value("2026-11-27T03:28:32.723618+00:00") == "2026-11-27 11:28:32"
    assert format_value("2026-11-27 is not a time") == "2026-11-27 is not a time"


def test_empty_fields_of_a_creation_are_left_out_but_masked_secrets_stay():
    entry = AuditEntry(object_type="x.y", changes={"phone": [None, ""], "name": [None, "甲"],
                                                   "password": ["***", "***"]})
    assert [(r.field, r.before, r.after) for r in change_rows(entry)] == [
        ("name", "—", "甲"), ("password", "***", "***")]


def test_what_a_read_showed_is_listed_by_type_and_customer():
    from django.utils import translation

    entry = AuditEntry(conditions={"kind": "complaint", "shown": {"workorders.workorder": ["1", "2"]},
                                   "customers": [7, 9]})
    with translation.override("en"):
        assert condition_rows(entry) == [("kind", "complaint"), ("Shown", "Work order: 1, 2"),
                                         ("Customers", "7, 9")]
