"""Deployment checks that `manage.py check` (and every command) runs."""

from pathlib import Path

from django.core import checks

from recours.core.pdf import font_dirs

# One file from each package the PDFs need: the Latin face and the CJK collection.
PDF_FONT_SAMPLES = ("NotoSerif-Regular.ttf", "NotoSerifCJK-Regular.ttc")


@checks.register(checks.Tags.compatibility)
def pdf_fonts(app_configs=None, **kwargs):
    """Without the Noto fonts, names outside the Latin script come out as empty boxes in
    the dossier and in letters: say so before anyone files one."""
    present = {
        sample
        for sample in PDF_FONT_SAMPLES
        for directory in font_dirs()
        if (Path(directory) / sample).is_file()
    }
    missing = [sample for sample in PDF_FONT_SAMPLES if sample not in present]
    if not missing:
        return []
    return [
        checks.Warning(
            f"PDF fonts missing ({', '.join(missing)}) under {', '.join(font_dirs())}: "
            "names in other scripts than Latin would not be drawn in PDFs.",
            hint="Install Debian's fonts-noto-core and fonts-noto-cjk "
            "(bash scripts/install-system-packages), or set PDF_FONT_DIRS.",
            id="recours.W010",
        )
    ]
