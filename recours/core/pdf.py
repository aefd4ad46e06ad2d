"""The one PDF renderer: Typst, through the `typst` package. Templates are `.typ` files
that read their data from `data.json`; nothing a user typed is ever interpreted as Typst
markup.

Fonts: the sign form takes names in any script, so every PDF must draw them all. Typst's
built-in fonts cover Latin only; the Noto families (Debian's fonts-noto-core and
fonts-noto-cjk, which `make install` brings) cover every script Unicode encodes in use
today. Typst embeds the glyphs it draws as subsets and falls back, glyph by glyph, to any
loaded font that has one. Loading the font book takes ~80 ms, so each thread keeps one
compiler (a compiler is not shared between threads: the binding borrows it mutably).
The font folders come from the environment, not Django's settings: the dossier's worker
processes render without the project's settings."""

import json
import os
import shutil
import tempfile
import threading
from html.parser import HTMLParser
from pathlib import Path

import typst

from recours.core.text import render_markdown

SHARED = Path(__file__).resolve().parent / "typst" / "recours.typ"
FONT_DIRS = "/usr/share/fonts/truetype/noto,/usr/share/fonts/opentype/noto"
_local = threading.local()


def font_dirs() -> list[str]:
    """PDF_FONT_DIRS, comma-separated (Debian's folders of the Noto fonts by default)."""
    value = os.environ.get("PDF_FONT_DIRS", FONT_DIRS)
    return [path.strip() for path in value.split(",") if path.strip()]


def font_paths() -> list[str]:
    return [path for path in font_dirs() if Path(path).is_dir()]


def _compiler() -> typst.Compiler:
    paths = font_paths()
    cached = getattr(_local, "compiler", None)
    if cached is None or cached[0] != paths:
        cached = (paths, typst.Compiler(font_paths=paths, ignore_system_fonts=True))
        _local.compiler = cached
    return cached[1]


def render_pdf(
    template: Path, data: dict, *, tagged: bool = True, files: dict[str, bytes] | None = None
) -> bytes:
    """Compiles `template` with `data`, and `files` (name: content, e.g. an image) beside
    it. Tagged PDFs are accessible but cost far more time and size; very large annexes are
    rendered untagged (their CSV and JSON are there)."""
    with tempfile.TemporaryDirectory(prefix="recours-pdf-") as tmp:
        root = Path(tmp)
        shutil.copy(SHARED, root / "recours.typ")
        shutil.copy(template, root / "main.typ")
        (root / "data.json").write_text(json.dumps(data, ensure_ascii=False))
        for name, content in (files or {}).items():
            (root / Path(name).name).write_bytes(content)
        return _compiler().compile(input=str(root / "main.typ"), root=str(root), pdf_tags=tagged)


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
