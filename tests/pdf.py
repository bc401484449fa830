"""The text of a PDF the project served (pypdf: pure Python, no system tool needed)."""

from __future__ import annotations

import io


def pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
