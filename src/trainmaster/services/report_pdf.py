"""The PI report as a PDF (fpdf2): the report's sections with tables and PNG charts, set
in DejaVu Sans (shipped with matplotlib) so every Unicode character prints."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib
from fpdf import FPDF
from fpdf.fonts import FontFace

from trainmaster.services.report_charts import chart_png
from trainmaster.services.reports import PiReport, Section, Table

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT = "DejaVu"
HEADER = FontFace(emphasis="BOLD", fill_color=(238, 242, 246))


class _Pdf(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.report_title = title
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(auto=True, margin=15)
        self.set_title(title)
        self.set_creator("trainmaster")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 7)
        self.set_text_color(110, 120, 135)
        self.cell(0, 5, f"{self.report_title} · page {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0, 0, 0)


def render_pdf(report: PiReport) -> bytes:
    """A real PDF: headings, paragraphs, tables and the charts as embedded PNG images."""
    pdf = _Pdf(report.title)
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(0, 8, report.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(0, 5, report.subtitle, new_x="LMARGIN", new_y="NEXT")
    for section in report.sections:
        _section(pdf, section, report)
    return bytes(pdf.output())


def _section(pdf: _Pdf, section: Section, report: PiReport) -> None:
    if pdf.get_y() > pdf.h - 60:
        pdf.add_page()
    pdf.ln(4)
    pdf.set_font(FONT, "B", 13)
    pdf.multi_cell(0, 7, section.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    for paragraph in section.paragraphs:
        pdf.multi_cell(0, 5, paragraph, new_x="LMARGIN", new_y="NEXT")
    for table in section.tables:
        _table(pdf, table)
    for name in section.charts:
        png = chart_png(name, report.dashboard)
        if png is None:
            continue
        width = pdf.epw
        height = width * 3.0 / 7.2
        if pdf.get_y() + height > pdf.h - 15:
            pdf.add_page()
        pdf.image(io.BytesIO(png), w=width, h=height)
        pdf.ln(2)


def _table(pdf: _Pdf, table: Table) -> None:
    pdf.ln(2)
    pdf.set_font(FONT, "B", 10)
    pdf.multi_cell(0, 6, table.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 8)
    if not table.rows:
        pdf.multi_cell(0, 5, table.empty, new_x="LMARGIN", new_y="NEXT")
        return
    with pdf.table(headings_style=HEADER, line_height=4.5, text_align="LEFT",
                   padding=1) as grid:
        for row in [table.columns, *table.rows]:
            cells = grid.row()
            for value in row:
                cells.cell(value)
