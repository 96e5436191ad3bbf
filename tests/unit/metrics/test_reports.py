import io

import pytest

from tests.fakes import FakeUnitOfWork
from tests.unit.metrics.conftest import NOW, build_train
from trainmaster.domain.access import SYSTEM
from trainmaster.domain.errors import Invalid
from trainmaster.domain.impediment import Impediment
from trainmaster.domain.risk import Risk, Roam
from trainmaster.services import reports


@pytest.fixture(scope="module")
def report():
    uow = FakeUnitOfWork()
    train = build_train(uow)
    uow.risks.add(Risk(art_id=train["art"], pi_id=train["pi"], title="Vendor API late"))
    uow.risks.add(Risk(art_id=train["art"], pi_id=train["pi"], title="Old worry",
                       roam=Roam.RESOLVED))
    uow.impediments.add(Impediment(art_id=train["art"], title="No staging database",
                                   raised_at=NOW))
    uow.commit()
    return reports.pi_report(uow, SYSTEM, train["pi"], at=NOW)


def test_report_has_every_section_stakeholders_expect(report):
    assert [s.title for s in report.sections] == [
        "Objectives and predictability", "Flow metrics", "Forecast of the remaining scope",
        "Top risks (ROAM)", "Late dependencies", "Open impediments"]


def test_markdown_report_lists_open_risks_and_impediments_but_not_resolved_risks(report):
    text = reports.render_markdown(report)
    assert text.startswith("# Payments ART · PI 26.5 status report")
    assert "| Vendor API late | unroamed |" in text and "Old worry" not in text
    assert "No staging database" in text
    assert "| PI 26.4 | 90 % | healthy |" in text
    assert report.forecast.sentence in text


def test_html_report_is_self_contained_with_svg_charts(report):
    page = reports.render_html(report)
    assert "<script" not in page and "http" not in page.split("<svg", 1)[0]
    for chart in ("predictability", "cfd", "scatter", "burn_up", "throughput"):
        assert f"data-chart='{chart}'><svg" in page


def test_pdf_report_is_a_real_pdf_with_text_and_chart_images(report):
    from pypdf import PdfReader
    pdf = PdfReader(io.BytesIO(reports.render_report(report, "pdf")))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "PI 26.5 status report" in text and "Vendor API late" in text
    assert "Predictability = Σ actual" in text  # Unicode survives the font
    assert sum(len(page.images) for page in pdf.pages) == 5


def test_unknown_format_is_refused(report):
    with pytest.raises(Invalid, match="format"):
        reports.render_report(report, "docx")


def test_pdf_pages_render_to_images_with_ink_on_them(report, tmp_path):
    import shutil
    import subprocess

    from matplotlib.image import imread

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian's poppler-utils) is not installed")
    source = tmp_path / "report.pdf"
    source.write_bytes(reports.render_report(report, "pdf"))
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(source), str(tmp_path / "page")],
                   check=True, timeout=60)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2
    for page in pages:
        pixels = imread(page)[..., :3]
        assert (pixels < 0.5).mean() > 0.002, f"{page.name} is blank"
