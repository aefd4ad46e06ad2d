"""The PDFs' fonts: found where the install step puts them, and missed loudly."""

from recours.core.checks import pdf_fonts


def test_the_noto_fonts_the_install_step_brings_are_found():
    assert pdf_fonts() == []


def test_missing_fonts_are_a_warning_that_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("PDF_FONT_DIRS", str(tmp_path))

    (warning,) = pdf_fonts()

    assert warning.id == "recours.W010"
    assert "fonts-noto-cjk" in warning.hint
