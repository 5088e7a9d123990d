"""Printable A4 sheets of QR labels, as PDF (reportlab) or PNG pages (Pillow).

Both formats share one layout (:class:`Layout`, in millimetres): 3 × 4 labels a page, each a
QR code about 38 mm wide with its quiet zone, the painted code in bold under it, then the
Chinese and English names. The QR symbols come from segno in alphanumeric mode at error
correction level M (15% of the symbol may be dirty or scratched), drawn as filled
rectangles — vectors in the PDF, whole pixels in the PNG — so nothing is resampled.

The PDF writes Chinese with reportlab's built-in CID font ``STSong-Light`` (no font file
needed; every PDF reader has it). A PNG page needs a font file with Chinese glyphs: the
first of :data:`CJK_FONTS` found is used; without one the PNG shows the code and the
English name only, and :func:`write_png` says so in its result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fieldkit.services.labels import Label

MM_PER_INCH = 25.4
CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simsun.ttc",
)
LATIN_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "C:/Windows/Fonts/arial.ttf",
)
LATIN_BOLD_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "C:/Windows/Fonts/arialbd.ttf",
)


@dataclass(frozen=True)
class Layout:
    page_w: float = 210.0
    page_h: float = 297.0
    margin: float = 12.0
    header: float = 8.0
    cols: int = 3
    rows: int = 4
    qr: float = 38.0  # the symbol with its 4-module quiet zone
    code_pt: float = 12.0
    zh_pt: float = 9.0
    en_pt: float = 7.0

    @property
    def per_page(self) -> int:
        return self.cols * self.rows

    @property
    def cell_w(self) -> float:
        return (self.page_w - 2 * self.margin) / self.cols

    @property
    def cell_h(self) -> float:
        return (self.page_h - 2 * self.margin - self.header) / self.rows

    def cell(self, slot: int) -> tuple[float, float]:
        """Top-left corner (mm from the page's top-left) of the label in ``slot``."""
        row, col = divmod(slot, self.cols)
        return self.margin + col * self.cell_w, self.margin + self.header + row * self.cell_h


LAYOUT = Layout()
QUIET = 4  # modules of white around a symbol, as the QR standard asks
# A PDF module is a whole number of 1/25 inch steps, placed on that grid from the page's
# top-left: 6 dots at 150 dpi, 8 at 200, 12 at 300, 24 at 600 — every module the same
# width on the printer and when a sheet is scanned or rendered at any common office
# setting. Fractional modules come out 1 dot wider or narrower at random, which costs zbar
# whole codes (1/20 inch is 7.5 dots at 150 dpi: a third of a sheet did not read).
MODULE_MM = MM_PER_INCH / 25


def _snap(mm_value: float) -> float:
    return round(mm_value / MODULE_MM) * MODULE_MM


def qr_matrix(payload: str) -> list[list[bool]]:
    """The symbol's modules (True = dark), quiet zone included."""
    import segno

    symbol = segno.make(payload, error="m", micro=False, boost_error=False)
    inner = [[bool(v) for v in row] for row in symbol.matrix]
    size = len(inner) + 2 * QUIET
    blank = [False] * size
    return (
        [list(blank) for _ in range(QUIET)]
        + [[False] * QUIET + row + [False] * QUIET for row in inner]
        + [list(blank) for _ in range(QUIET)]
    )


def _script_runs(text: str) -> list[tuple[str, bool]]:
    """``text`` cut where it changes between CJK (True) and everything else (False)."""
    out: list[tuple[str, bool]] = []
    for char in text:
        cjk = ord(char) >= 0x2E80
        if out and out[-1][1] == cjk:
            out[-1] = (out[-1][0] + char, cjk)
        else:
            out.append((char, cjk))
    return out


def pages(labels: Sequence[Label], layout: Layout = LAYOUT) -> list[list[Label]]:
    return [list(labels[i : i + layout.per_page]) for i in range(0, len(labels), layout.per_page)]


def _runs(row: list[bool]) -> list[tuple[int, int]]:
    """(start, length) of each run of dark modules in a row."""
    out, start = [], None
    for x, dark in enumerate([*row, False]):
        if dark and start is None:
            start = x
        elif not dark and start is not None:
            out.append((start, x - start))
            start = None
    return out


# --- PDF ------------------------------------------------------------------------------


def write_pdf(labels: Sequence[Label], path: Path, title: str, layout: Layout = LAYOUT) -> int:
    """Write the sheets to ``path``; returns the number of pages."""
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    zh_font = "STSong-Light"
    if zh_font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(zh_font))
    sheets = pages(labels, layout)
    pdf = canvas.Canvas(str(path), pagesize=(layout.page_w * mm, layout.page_h * mm))
    pdf.setTitle(title)
    pdf.setCreator("fieldkit")

    def y(top_mm: float) -> float:
        return (layout.page_h - top_mm) * mm

    def mixed(x: float, top: float, text: str, size: float) -> None:
        """Chinese in the CID font, Latin text and digits in Helvetica: the CID font's
        Latin glyphs are full-width-spaced ("C uihu G arden" when copied or searched)."""
        for run, cjk in _script_runs(text):
            font = zh_font if cjk else "Helvetica"
            pdf.setFont(font, size)
            pdf.drawString(x, y(top), run)
            x += pdfmetrics.stringWidth(run, font, size)

    def mixed_centred(centre: float, top: float, text: str, size: float) -> None:
        width = sum(
            pdfmetrics.stringWidth(run, zh_font if cjk else "Helvetica", size)
            for run, cjk in _script_runs(text)
        )
        mixed(centre - width / 2, top, text, size)

    def fitted(text: str, font: str, size: float, width: float) -> tuple[str, float]:
        while size > 5 and pdfmetrics.stringWidth(text, font, size) > width:
            size -= 0.5
        while text and pdfmetrics.stringWidth(text, font, size) > width:
            text = text[:-2] + "…"
        return text, size

    for number, sheet in enumerate(sheets, start=1):
        pdf.setFillGray(0.35)
        mixed(layout.margin * mm, layout.margin + 4, f"{title}  {number}/{len(sheets)}", 8)
        for slot, label in enumerate(sheet):
            left, top = layout.cell(slot)
            pdf.setStrokeGray(0.8)
            pdf.setLineWidth(0.3)
            pdf.rect(left * mm, y(top + layout.cell_h), layout.cell_w * mm, layout.cell_h * mm)
            matrix = qr_matrix(label.payload)
            module = MODULE_MM * max(1, int(layout.qr / MODULE_MM / len(matrix)))
            side = module * len(matrix)
            qx = _snap(left + (layout.cell_w - side) / 2)
            qy = _snap(top + 2)
            pdf.setFillGray(0)
            # One path for the whole symbol: a renderer anti-aliases it as one shape, so
            # neighbouring modules show no hairline seams (which cost zbar whole codes).
            path = pdf.beginPath()
            for r, row in enumerate(matrix):
                for start, length in _runs(row):
                    path.rect(
                        (qx + start * module) * mm,
                        y(qy + (r + 1) * module),
                        length * module * mm,
                        module * mm,
                    )
            pdf.drawPath(path, stroke=0, fill=1)
            width = (layout.cell_w - 4) * mm
            centre = (left + layout.cell_w / 2) * mm
            line = qy + side + 5
            text, size = fitted(label.code, "Helvetica-Bold", layout.code_pt, width)
            pdf.setFont("Helvetica-Bold", size)
            pdf.drawCentredString(centre, y(line), text)
            text, size = fitted(label.names.get("zh", ""), zh_font, layout.zh_pt, width)
            mixed_centred(centre, line + 5.5, text, size)
            text, size = fitted(label.names.get("en", ""), "Helvetica", layout.en_pt, width)
            pdf.setFont("Helvetica", size)
            pdf.drawCentredString(centre, y(line + 10), text)
        pdf.showPage()
    pdf.save()
    return len(sheets)


# --- PNG ------------------------------------------------------------------------------


def _font(candidates: Sequence[str], px: int):
    from PIL import ImageFont

    for name in candidates:
        if Path(name).is_file():
            return ImageFont.truetype(name, px)
    return None


def page_paths(path: Path, count: int) -> list[Path]:
    """``labels.png`` for one page; ``labels-1.png``, ``labels-2.png`` ... for more."""
    if count == 1:
        return [path]
    return [path.with_name(f"{path.stem}-{n}{path.suffix}") for n in range(1, count + 1)]


@dataclass(frozen=True)
class PngResult:
    files: list[Path]
    chinese: bool  # False when no font with Chinese glyphs was found


def write_png(
    labels: Sequence[Label], path: Path, title: str, dpi: int = 200, layout: Layout = LAYOUT
) -> PngResult:
    from PIL import Image, ImageDraw, ImageFont

    def px(mm_value: float) -> int:
        return round(mm_value / MM_PER_INCH * dpi)

    def pt(points: float) -> int:
        return max(8, round(points / 72 * dpi))

    cjk = {size: _font(CJK_FONTS, pt(size)) for size in (layout.zh_pt, 8)}
    latin = _font(LATIN_FONTS, pt(layout.en_pt)) or ImageFont.load_default(pt(layout.en_pt))
    bold = _font(LATIN_BOLD_FONTS, pt(layout.code_pt)) or ImageFont.load_default(pt(layout.code_pt))
    header = cjk[8] or _font(LATIN_FONTS, pt(8)) or ImageFont.load_default(pt(8))
    sheets = pages(labels, layout)
    files = page_paths(path, len(sheets))

    def centred(draw, text: str, font, cx: int, top: int, width: int) -> None:
        while text and draw.textlength(text, font=font) > width:
            text = text[:-2] + "…"
        draw.text((cx - draw.textlength(text, font=font) / 2, top), text, fill=0, font=font)

    for number, (sheet, out) in enumerate(zip(sheets, files, strict=True), start=1):
        image = Image.new("L", (px(layout.page_w), px(layout.page_h)), 255)
        draw = ImageDraw.Draw(image)
        head = f"{title}  {number}/{len(sheets)}"
        if cjk[8] is None:
            head = head.encode("ascii", "replace").decode()
        draw.text((px(layout.margin), px(layout.margin)), head, fill=90, font=header)
        for slot, label in enumerate(sheet):
            left, top = layout.cell(slot)
            draw.rectangle(
                (px(left), px(top), px(left + layout.cell_w), px(top + layout.cell_h)),
                outline=200,
                width=1,
            )
            matrix = qr_matrix(label.payload)
            module = max(1, px(layout.qr) // len(matrix))
            side = module * len(matrix)
            qx = px(left + layout.cell_w / 2) - side // 2
            qy = px(top + 2)
            for r, row in enumerate(matrix):
                for start, length in _runs(row):
                    x0, y0 = qx + start * module, qy + r * module
                    draw.rectangle((x0, y0, x0 + length * module - 1, y0 + module - 1), fill=0)
            cx, width = px(left + layout.cell_w / 2), px(layout.cell_w - 4)
            line = qy + side + px(1.5)
            centred(draw, label.code, bold, cx, line, width)
            line += px(5.5)
            if cjk[layout.zh_pt] is not None:
                centred(draw, label.names.get("zh", ""), cjk[layout.zh_pt], cx, line, width)
            line += px(4.5)
            centred(draw, label.names.get("en", ""), latin, cx, line, width)
        image.save(out, dpi=(dpi, dpi))
    return PngResult(files=files, chinese=cjk[layout.zh_pt] is not None)
