"""Template helpers that show audit entries readably (see ``display``)."""

from django import template

from .. import display

register = template.Library()


@register.filter
def audit_changes(entry):
    return display.change_rows(entry)


@register.filter
def audit_conditions(entry):
    return display.condition_rows(entry)


@register.filter
def audit_object_type(object_type):
    return display.object_type_label(object_type)


@register.filter
def audit_channel(channel):
    return display.channel_label(channel)


@register.filter
def audit_note(note):
    """Notes that services store untranslated (``gettext_noop``) are shown in
    the reader's language; free text passes through unchanged."""
    return display.note_text(note)
