"""The incident report: the timeline, the plan, the notices, the people checked and the
follow-ups, as Markdown, HTML or PDF, in the current language.

The PDF is drawn with reportlab's platypus and its built-in ``STSong-Light`` CID font (an
Adobe Asian font reportlab ships the metrics for; PDF readers supply the glyphs), so Chinese
renders without bundling a font file.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fieldkit.i18n import catalogue, get_language, t
from fieldkit.services import incidents as inc
from fieldkit.services.incident_close import DECISIONS
from fieldkit.services.incident_places import Place, label
from fieldkit.services.notices import local_time
from fieldkit.services.types import pick

if TYPE_CHECKING:
    from fieldkit.services.workspace import Workspace

FORMATS = ("md", "html", "pdf")


@dataclass(frozen=True)
class Table:
    title: str
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    empty: str
    widths: tuple[float, ...] = ()  # shares of the page width in the PDF


@dataclass(frozen=True)
class Report:
    title: str
    facts: tuple[tuple[str, str], ...]
    summary: str
    tables: tuple[Table, ...]
    notices: tuple[tuple[str, str], ...]  # (heading, text as sent)


def entry_text(entry: inc.Entry, lang: str) -> str:
    """One timeline entry as a sentence (also what the app's timeline shows)."""
    d = entry.data
    kind = entry.kind
    if kind == "call":
        service = t(f"incidents.service.{d.get('service', '')}", lang)
        text = t("incidents.entry.call", lang, service=service, who=d.get("answered_by") or "—")
        return f"{text} {entry.text}".strip()
    if kind == "handover":
        text = t("incidents.entry.handover", lang, to=d.get("to", ""))
        return f"{text} {entry.text}".strip()
    if kind == "escalation":
        text = t(
            "incidents.entry.escalation",
            lang,
            before=t(f"incidents.severity.{d.get('from', 'major')}", lang),
            after=t(f"incidents.severity.{d.get('to', 'major')}", lang),
        )
        return f"{text} {entry.text}".strip()
    if kind == "status":
        text = t("incidents.entry.status", lang, status=t(f"incidents.status.{d.get('to')}", lang))
        return f"{text} {entry.text}".strip()
    if kind == "people_checked":
        text = t("incidents.entry.checked", lang, code=d.get("code", ""))
        return f"{text} {entry.text}".strip()
    if kind == "notice":
        title = str(d.get("title") or (entry.text.splitlines()[0] if entry.text else ""))
        audience = d.get("audience")
        return t(
            "incidents.entry.notice",
            lang,
            title=title,
            language=t(f"incidents.ui.lang_{d.get('lang', lang)}", lang),
            audience=pick(audience, lang) if isinstance(audience, dict) else "—",
        )
    if kind == "place":
        found = [Place.from_dict(p) for p in d.get("places", ()) if isinstance(p, dict)]
        return t("incidents.entry.place", lang, place=label([p for p in found if p], lang))
    if kind == "decision":
        return decision_text(d, lang)
    if kind == "followup":
        kind_text = t(f"incidents.followup.{d.get('kind', 'repair')}", lang)
        return t("incidents.entry.followup", lang, kind=kind_text, title=entry.text)
    if kind == "plan":
        return t("incidents.entry.plan", lang)
    if kind == "field":
        changes = d.get("changes", {})
        return t(
            "incidents.entry.field", lang, changes=", ".join(f"{k}={v}" for k, v in changes.items())
        )
    return entry.text


def decision_text(d: dict, lang: str) -> str:
    """A decision taken at close as a sentence: the open point and what was decided."""
    point = str(d.get("point", ""))
    what = d.get("what")
    key = f"incidents.decision.{point}.{d.get('decision', '')}"
    decision = t(key, lang) if key in catalogue(lang) else str(d.get("decision", ""))
    if d.get("case"):
        decision += t("incidents.entry.decision_case", lang, ref=str(d["case"])[-6:])
    entry_key = f"incidents.entry.decision_{point}"
    if entry_key not in catalogue(lang):
        return decision
    what_text = pick(what, lang) if isinstance(what, dict) else ""
    return t(entry_key, lang, what=what_text, decision=decision)


def kind_label(kind: str, lang: str) -> str:
    key = f"incidents.kind.{kind}"
    return t(key, lang) if key in catalogue(lang) else kind


def care_label(flag: str, lang: str) -> str:
    """A special-care flag in words; a flag this release does not know, as the office wrote it."""
    key = f"incidents.care.{flag}"
    return t(key, lang) if key in catalogue(lang) else flag


def _plan_state(step: inc.PlanStep) -> str:
    if step.failed:
        return "incidents.report.failed"
    return "incidents.report.done" if step.done else "incidents.report.not_done"


def build(ws: Workspace, incident_id: str, lang: str | None = None) -> Report:
    lang = lang or get_language()
    view = inc.view(ws, incident_id)
    type_text = view.type_words(lang)
    facts = (
        (t("incidents.report.ref", lang), view.ref),
        (t("incidents.report.type", lang), type_text),
        (t("incidents.report.place", lang), view.where(lang)),
        (t("incidents.report.severity", lang), t(f"incidents.severity.{view.severity}", lang)),
        (t("incidents.report.status", lang), t(f"incidents.status.{view.status}", lang)),
        (t("incidents.report.started", lang), local_time(view.started_at, lang)),
        (t("incidents.report.coordinator", lang), view.coordinator or "—"),
    )
    timeline = []
    for entry in view.entries:
        if entry.kind == "decision":
            continue  # in a table of their own
        text = entry_text(entry, lang)
        if entry.corrected_by:
            text += "  " + t("incidents.report.corrected", lang, text=entry.corrected_text)
        timeline.append((local_time(entry.at, lang), kind_label(entry.kind, lang), entry.by, text))
    plan = tuple(
        (pick(step.section, lang), pick(step.label, lang), t(_plan_state(step), lang))
        for step in view.plan
    )
    at_close = {
        str(e.data.get("ref")): t(f"incidents.decision.person.{e.data.get('decision')}", lang)
        for e in view.decisions
        if e.data.get("point") == "person" and e.data.get("decision") in DECISIONS["person"]
    }
    people = tuple(
        (
            p.code,
            ", ".join(care_label(f, lang) for f in p.flags),
            local_time(p.checked_at, lang)
            if p.checked
            else t("incidents.report.closed_as", lang, decision=at_close[p.unit_id])
            if p.unit_id in at_close
            else t("incidents.report.not_checked", lang),
            p.checked_note,
        )
        for p in view.people
    )
    followups = tuple(
        (
            f.case_id[-6:],
            t(f"incidents.followup.{f.kind}", lang),
            pick(f.titles, lang) or f.title,
            t(f"incidents.case_status.{f.status}", lang) if f.status else "—",
        )
        for f in view.followups
    )
    decisions = tuple(
        (local_time(e.at, lang), e.by, decision_text(e.data, lang)) for e in view.decisions
    )
    r = "incidents.report."
    tables = (
        Table(t(r + "timeline", lang),
              (t(r + "time", lang), t(r + "kind", lang), t(r + "by", lang), t(r + "text", lang)),
              tuple(timeline), t(r + "none", lang), (0.15, 0.12, 0.1, 0.63)),
        Table(t(r + "plan", lang, title=pick(view.plan_title, lang)),
              (t(r + "section", lang), t(r + "step", lang), t(r + "state", lang)),
              plan, t(r + "no_plan", lang), (0.2, 0.62, 0.18)),
        Table(t(r + "people", lang),
              (t(r + "unit", lang), t(r + "needs", lang), t(r + "checked", lang),
               t(r + "note", lang)),
              people, t(r + "none", lang), (0.14, 0.3, 0.2, 0.36)),
        Table(t(r + "followups", lang),
              (t(r + "case", lang), t(r + "kind", lang), t(r + "text", lang),
               t(r + "status", lang)),
              followups, t(r + "none", lang), (0.12, 0.18, 0.52, 0.18)),
        Table(t(r + "decisions", lang),
              (t(r + "time", lang), t(r + "by", lang), t(r + "decision", lang)),
              decisions, t(r + "none", lang), (0.15, 0.12, 0.73)),
    )  # fmt: skip
    notices = tuple(
        (t(r + "notice_head", lang, time=local_time(n.at, lang), by=n.by or "—"), n.text)
        for n in view.notices
    )
    title = t(r + "title", lang, type=type_text, ref=view.ref)
    return Report(title, facts, view.summary, tables, notices)


# -- renderers -----------------------------------------------------------------------------


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(report: Report, lang: str | None = None) -> str:
    lang = lang or get_language()
    out = [f"# {report.title}", ""]
    for name, value in report.facts:
        out.append(f"- **{name}**: {value}")
    out.append("")
    if report.summary:
        out += [f"## {t('incidents.report.summary', lang)}", "", report.summary, ""]
    for table in report.tables:
        out += [f"## {table.title}", ""]
        if not table.rows:
            out += [table.empty, ""]
            continue
        out.append("| " + " | ".join(table.head) + " |")
        out.append("|" + "---|" * len(table.head))
        for row in table.rows:
            out.append("| " + " | ".join(_md_cell(c) for c in row) + " |")
        out.append("")
    out += [f"## {t('incidents.report.notices', lang)}", ""]
    if not report.notices:
        out += [t("incidents.report.none", lang), ""]
    for head, text in report.notices:
        out += [f"### {head}", ""] + [f"> {line}" if line else ">" for line in text.splitlines()]
        out.append("")
    return "\n".join(out)


def to_html(report: Report, lang: str | None = None) -> str:
    lang = lang or get_language()
    e = html.escape
    out = [
        "<!doctype html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        f"<title>{e(report.title)}</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;"
        "width:100%}td,th{border:1px solid #999;padding:4px;text-align:left;"
        "vertical-align:top}blockquote{white-space:pre-wrap;border-left:3px solid #999;"
        "padding-left:1em}</style></head><body>",
        f"<h1>{e(report.title)}</h1><dl>",
    ]
    for name, value in report.facts:
        out.append(f"<dt>{e(name)}</dt><dd>{e(value)}</dd>")
    out.append("</dl>")
    if report.summary:
        out.append(f"<h2>{e(t('incidents.report.summary', lang))}</h2><p>{e(report.summary)}</p>")
    for table in report.tables:
        out.append(f"<h2>{e(table.title)}</h2>")
        if not table.rows:
            out.append(f"<p>{e(table.empty)}</p>")
            continue
        out.append("<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in table.head) + "</tr>")
        for row in table.rows:
            out.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>")
        out.append("</table>")
    out.append(f"<h2>{e(t('incidents.report.notices', lang))}</h2>")
    if not report.notices:
        out.append(f"<p>{e(t('incidents.report.none', lang))}</p>")
    for head, text in report.notices:
        out.append(f"<h3>{e(head)}</h3><blockquote>{e(text)}</blockquote>")
    out.append("</body></html>")
    return "\n".join(out)


def to_pdf(report: Report, lang: str | None = None) -> bytes:
    """The report as PDF bytes (reportlab, STSong-Light for the Chinese text)."""
    from io import BytesIO

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as PdfTable

    lang = lang or get_language()
    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
    h1 = ParagraphStyle("h1", parent=body, fontSize=16, leading=20, spaceAfter=6)
    h2 = ParagraphStyle("h2", parent=body, fontSize=12, leading=16, spaceBefore=8, spaceAfter=4)

    def p(text: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(html.escape(text).replace("\n", "<br/>"), style)

    story: list = [p(report.title, h1)]
    for name, value in report.facts:
        story.append(p(f"{name}: {value}"))
    if report.summary:
        story += [p(t("incidents.report.summary", lang), h2), p(report.summary)]
    width = A4[0] - 30 * mm
    for table in report.tables:
        story.append(p(table.title, h2))
        if not table.rows:
            story.append(p(table.empty))
            continue
        rows = [[p(h) for h in table.head]] + [[p(c) for c in row] for row in table.rows]
        n = len(table.head)
        widths = [width * share for share in (table.widths or (1 / n,) * n)]
        grid = PdfTable(rows, colWidths=widths, repeatRows=1)
        grid.setStyle([
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ])  # fmt: skip
        story.append(grid)
    story.append(p(t("incidents.report.notices", lang), h2))
    if not report.notices:
        story.append(p(t("incidents.report.none", lang)))
    for head, text in report.notices:
        story += [p(head, h2), p(text), Spacer(1, 4 * mm)]
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, title=report.title
    )
    doc.build(story)
    return buffer.getvalue()


def render(ws: Workspace, incident_id: str, fmt: str, lang: str | None = None) -> bytes:
    """The report of one incident in ``fmt`` (md, html or pdf) as bytes."""
    if fmt not in FORMATS:
        raise inc.IncidentError("incidents.error.bad_format", value=fmt)
    lang = lang or get_language()
    report = build(ws, incident_id, lang)
    if fmt == "pdf":
        return to_pdf(report, lang)
    text = to_markdown(report, lang) if fmt == "md" else to_html(report, lang)
    return text.encode("utf-8")
