"""PDF pieces of a dossier, rendered in worker processes on every core. This module
imports no Django model, so that a freshly spawned worker loads it without the project's
settings; workers are spawned, not forked, because a forked copy of Typst's own threads
deadlocks, and each serves one piece so that Typst's caches never pile up in memory."""

import io
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject

from recours.core.pdf import render_pdf

TYPST = Path(__file__).resolve().parent / "typst"
ANNEX_CHUNK = 5000  # rows per Typst run: about 4 s and 500 MB each


def in_workers(function, common: dict, pieces: list) -> list:
    """`function(common, piece)` for every piece, in order, using every core."""
    if len(pieces) <= 1:
        return [function(common, piece) for piece in pieces]
    context = multiprocessing.get_context("spawn")
    workers = min(os.cpu_count() or 1, len(pieces))
    with ProcessPoolExecutor(workers, mp_context=context, max_tasks_per_child=1) as pool:
        return list(pool.map(function, [common] * len(pieces), pieces))


def render_annex_piece(common: dict, rows: list) -> bytes:
    return render_pdf(TYPST / "mandataires.typ", {**common, "rows": rows}, tagged=False)


def write_letter_piece(common: dict, mandates: list[dict]) -> None:
    folder = Path(common["folder"])
    reader = PdfReader(
        io.BytesIO(render_pdf(TYPST / "mandat.typ", {**common, "mandates": mandates}, tagged=False))
    )
    for mandate, page in zip(mandates, reader.pages, strict=True):
        writer = PdfWriter()
        writer.add_page(page)
        if mandate["scan"]:
            writer.append(PdfReader(io.BytesIO(scan_as_pdf(Path(mandate["scan"]).read_bytes()))))
        writer.add_metadata(
            {"/Title": f"{common['labels']['number']} {mandate['number']}", "/Author": "Recours"}
        )
        writer._root_object[NameObject("/Lang")] = TextStringObject(common["lang"])
        with (folder / f"mandat-{int(mandate['number']):06d}.pdf").open("wb") as handle:
            writer.write(handle)


def scan_as_pdf(scan: bytes) -> bytes:
    """A paper form's scan as PDF pages: a PDF as it is, an image as one page."""
    if scan.startswith(b"%PDF-"):
        return scan
    out = io.BytesIO()
    with Image.open(io.BytesIO(scan)) as image:
        image.convert("RGB").save(out, format="PDF", resolution=150)
    return out.getvalue()
