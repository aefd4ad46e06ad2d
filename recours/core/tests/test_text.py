import pytest

from recours.core.text import has_control_characters, normalise_line, render_markdown

pytestmark = pytest.mark.unit


def test_render_markdown_removes_scripts_and_event_handlers():
    html = render_markdown('Texte <script>alert(1)</script> <img src=x onerror="alert(2)">')

    assert html == "<p>Texte  </p>"


def test_render_markdown_keeps_structure_and_safe_links():
    html = render_markdown("## Titre\n\n[lien](https://example.org) [mal](javascript:alert(1))")

    assert html == (
        "<h2>Titre</h2>\n<p>"
        '<a href="https://example.org" rel="noopener noreferrer">lien</a> '
        '<a rel="noopener noreferrer">mal</a></p>'
    )


def test_normalise_line_composes_and_folds_white_space():
    assert normalise_line("  E\u0301lodie \t  Ma\u0308rz ") == "Élodie März"


def test_has_control_characters_finds_nul_and_bidi_overrides():
    assert has_control_characters("a\x00b") is True
    assert has_control_characters("a\u202eb") is True
    assert has_control_characters("ligne\nautre") is False
