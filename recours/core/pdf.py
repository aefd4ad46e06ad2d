"""The one PDF renderer: Typst, through the `typst` package (no system library, fonts
embedded in the compiler and in every PDF). Templates are `.typ` files that read their
data from `data.json`; nothing a user typed is ever interpreted as Typst markup."""

import json
import shutil
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import typst

from recours.core.text import render_markdown

SHARED = Path(__file__).resolve().parent / "typst" / "recours.typ"


def render_pdf(template: Path, data: dict, *, tagged: bool = True) -> bytes:
    """Compiles `template` with `data`. Tagged PDFs are accessible but cost far more time
    and size; very large annexes are rendered untagged (their CSV and JSON are there)."""
    with tempfile.TemporaryDirectory(prefix="recours-pdf-") as tmp:
        root = Path(tmp)
        shutil.copy(SHARED, root / "recours.typ")
        shutil.copy(template, root / "main.typ")
        (root / "data.json").write_text(json.dumps(data, ensure_ascii=False))
        return typst.compile(
            str(root / "main.typ"), root=str(root), ignore_system_fonts=True, pdf_tags=tagged
        )


class _BlockParser(HTMLParser):
    """Turns the sanitised HTML of our Markdown into plain blocks of text runs."""

    BLOCKS = {"p": "p", "h1": "h", "h2": "h", "h3": "h", "h4": "h", "blockquote": "quote"}

    def __init__(self):
        super().__init__()
        self.blocks, self.runs, self.styles, self.list_items = [], [], set(), None
        self.list_kind = None

    def handle_starttag(self, tag, attrs):
        if tag in {"strong", "em", "code"}:
            self.styles.add(tag)
        elif tag in {"ol", "ul"}:
            self.list_kind, self.list_items = tag, []
        elif tag == "li":
            self.runs = []

    def handle_endtag(self, tag):
        if tag in {"strong", "em", "code"}:
            self.styles.discard(tag)
        elif tag == "li" and self.list_items is not None:
            self.list_items.append(self.runs)
            self.runs = []
        elif tag in {"ol", "ul"}:
            self.blocks.append({"type": self.list_kind, "items": self.list_items})
            self.list_items = None
        elif tag in self.BLOCKS and self.list_items is None:
            block = {"type": self.BLOCKS[tag], "runs": self.runs}
            if tag.startswith("h"):
                block["level"] = max(1, int(tag[1]) - 1)
            self.blocks.append(block)
            self.runs = []

    def handle_data(self, data):
        text = " ".join(data.split()) if not data.isspace() else (" " if self.runs else "")
        if data[:1].isspace() and text and text != " ":
            text = " " + text
        if data[-1:].isspace() and text and text != " ":
            text += " "
        if text:
            self.runs.append({"text": text, **{style: True for style in self.styles}})


def markdown_blocks(source: str) -> list[dict]:
    parser = _BlockParser()
    parser.feed(str(render_markdown(source)))
    return parser.blocks
