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
