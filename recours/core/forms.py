from django import forms
from django.utils.translation import gettext_lazy as _

from recours.core.text import has_control_characters, normalise_line


def clean_text_input(value: str, *, multiline: bool = False) -> str:
    """Refuses invalid characters (bad UTF-8 arrives as U+FFFD, control characters) and
    normalises: NFC, white space folded; line by line when `multiline`."""
    if "\ufffd" in value or has_control_characters(value.replace("\r\n", "\n")):
        raise forms.ValidationError(
            _("Ce champ contient des caractères invalides."), code="invalid_characters"
        )
    if multiline:
        lines = [normalise_line(line) for line in value.splitlines()]
        return "\n".join(line for line in lines if line)
    return normalise_line(value)


class AccessibleErrorsMixin:
    """Links each field in error to its message (aria-describedby) and marks it invalid,
    so that screen readers read the error with the field (WCAG 3.3.1)."""

    def _post_clean(self):
        super()._post_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            bound = self[name]
            described_by = [f"{bound.auto_id}_error"]
            if self.fields[name].help_text:
                described_by.append(f"{bound.auto_id}_helptext")
            self.fields[name].widget.attrs.update(
                {"aria-invalid": "true", "aria-describedby": " ".join(described_by)}
            )
