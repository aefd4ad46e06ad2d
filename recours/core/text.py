"""Text helpers shared by the parts: sanitised Markdown and input normalisation."""

import functools
import unicodedata

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}


@functools.lru_cache(maxsize=512)
def render_markdown(source: str) -> SafeString:
    """Markdown to HTML with everything but plain document structure removed. Published
    texts never change, so each is rendered once per process."""
    html = markdown.markdown(source, extensions=["tables", "sane_lists"])
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - nh3 has just sanitised it


def normalise_line(value: str) -> str:
    """NFC, inner runs of white space folded to one space, trimmed."""
    return " ".join(unicodedata.normalize("NFC", value).split())


def has_control_characters(value: str) -> bool:
    return any(
        unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co"} and char not in "\n\t"
        for char in value
    )
