"""Password policy: Django's validators plus a character-class rule and no personal data."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy


class CharacterClassValidator:
    """Require letters and digits, so 8-character passwords aren't trivial."""

    def validate(self, password, user=None):
        if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
            raise ValidationError(_("The password must contain both letters and digits."), code="password_classes")

    def get_help_text(self):
        return _("Your password must contain both letters and digits.")


def _too_short_to_judge(value: str) -> bool:
    # Two Chinese characters are a whole name; two Latin letters appear inside too many words.
    return len(value) < (3 if value.isascii() else 2)


class PersonalDataValidator:
    """Refuse a password that equals or contains the person's employee number, name or phone (SPEC §1).

    The employee number is printed on badges and rosters, so a password built on it is guessed first.
    """

    attributes = (("employee_no", gettext_lazy("employee number")), ("name", pgettext_lazy("person", "name")),
                  ("phone", gettext_lazy("phone")))

    def validate(self, password, user=None):
        if user is None:
            return
        folded = password.casefold()
        for attribute, label in self.attributes:
            value = str(getattr(user, attribute, "") or "").strip().casefold()
            if not value or _too_short_to_judge(value):
                continue
            if value in folded:
                raise ValidationError(
                    _("The password must not contain your %(attribute)s.") % {"attribute": label},
                    code="password_personal_data",
                )

    def get_help_text(self):
        return _("Your password must not contain your employee number, name or phone.")
