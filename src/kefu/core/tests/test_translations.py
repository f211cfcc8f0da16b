"""Every message in every app's Chinese catalog is translated."""

from kefu.core.i18n import po_files, untranslated


def test_every_app_with_strings_has_a_chinese_catalog():
    apps_with_catalogs = {p.parts[-5] for p in po_files()}
    assert {"core", "iam", "workorders"} <= apps_with_catalogs


def test_no_message_is_left_untranslated():
    missing = untranslated()
    assert not missing, f"untranslated entries: {missing}"
