"""The printed trends name the compound at the top of every page, as the weekly report does:
an office printing two compounds' reports tells them apart (``翠湖苑 · 高发问题统计``)."""

from __future__ import annotations

import pytest

from fieldkit.i18n import t
from fieldkit.reports.trends_text import to_html
from fieldkit.services import trends as tr
from fieldkit.services.notices import compound_name
from tests.incidents.helpers import make_compound, open_workspace
from tests.reports import pdfcheck


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    folder = tmp_path_factory.mktemp("trends-compound") / "office"
    make_compound(folder, floors=2)
    workspace = open_workspace(folder)
    yield workspace
    workspace.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_printed_trends_name_the_compound(ws, lang, tmp_path):
    name = compound_name(ws.store, lang)
    assert name, "the compound of the test has a name"
    header = f"{name} · {t('trends.doc.header', lang)}"
    found = tr.device_trends(ws)
    names = tr.category_names(lang, ws)
    assert header in to_html(found, lang, names)
    if pdfcheck.needs_poppler.args[0]:
        return
    pdf = tmp_path / "trends.pdf"
    pdf.write_bytes(tr.to_pdf(found, lang, names))
    assert header in " ".join(pdfcheck.text(pdf).split())
