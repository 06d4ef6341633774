"""The shared PDF page: header, "page X / Y" footer, fonts with French accents, snapshots scaled or left out."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from reportlab.platypus import PageBreak

from bim.i18n import set_language
from project_db.reports import pdf_layout as pdf
from tests.project_db.reports import report_samples as samples

GENERATED = datetime(2026, 3, 12, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language("en")


def three_pages(text: str) -> bytes:
    style = pdf.styles()
    story = [pdf.text(text, style.body), PageBreak(), pdf.text("deux", style.body), PageBreak(),
             pdf.text("trois", style.body)]
    return pdf.build_pdf(story, project_name="Chantier École", title="Rapport d'essai", generated_at=GENERATED,
                         language="fr")


def test_every_page_has_the_project_the_title_its_number_of_the_total_and_the_generation_date():
    pages = samples.pdf_text(three_pages("Œuvre à côté — façade")).split("\n")
    text = "\n".join(pages)
    for number in (1, 2, 3):
        assert f"Page {number} / 3" in text
    assert text.count("Chantier École") == 3 and text.count("Rapport d'essai") == 3
    assert text.count("Generated on 12/03/2026") == 3
    assert "Œuvre à côté — façade" in text


def test_without_dejavu_the_built_in_font_still_prints_french(monkeypatch):
    monkeypatch.setattr(pdf, "_font_dirs", lambda: [])
    monkeypatch.setattr(pdf.pdfmetrics, "getRegisteredFontNames", lambda: [])
    assert pdf.fonts() == ("Helvetica", "Helvetica-Bold")
    french = "Où est l'œuvre ? Élément à reprendre"
    assert french in samples.pdf_text(three_pages(french))


def test_text_with_markup_characters_prints_as_typed():
    assert "a < b & <b>c</b>" in samples.pdf_text(three_pages("a < b & <b>c</b>"))


def test_a_snapshot_is_scaled_to_fit_keeping_its_shape_and_a_damaged_one_is_left_out():
    image = pdf.snapshot(samples.snapshot_png(size=(1600, 900)), max_width=160, max_height=200)
    assert image.drawWidth == pytest.approx(160) and image.drawHeight == pytest.approx(90)
    tall = pdf.snapshot(samples.snapshot_png(size=(300, 900)), max_width=160, max_height=150)
    assert tall.drawHeight == pytest.approx(150) and tall.drawWidth == pytest.approx(50)
    assert pdf.snapshot(b"\x89PNG\r\n\x1a\n-not-an-image-") is None and pdf.snapshot(None) is None
