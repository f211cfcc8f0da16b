"""Password policy: Django's validators plus a character-class rule."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """Require letters and digits, so 8-character passwords aren't trivial."""

    def validate(self, password, user=None):
        if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
            raise ValidationError(_("The password must contain both letters and digits."), code="password_classes")

    def get_help_text(self):
        return _("Your password must contain both letters and digits.")
