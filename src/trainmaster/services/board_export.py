"""The Program Board for the wall: one layout, drawn as SVG or as a PDF page.

`layout_board` places the rows (milestones, then one per team), the columns (the PI's
iterations, IP included, and an Unplanned column when some feature has no iteration) and
every card; `board_svg` and `board_pdf` draw that layout, so both exports show the same
board as the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from fpdf import FPDF

from trainmaster.services.board_model import BoardModel, Card

MARGIN, LABEL_W, COL_W, HEAD_H = 20, 150, 200, 44
CARD_W, CARD_H, GAP = 180, 46, 8
MILESTONE_H = 18
STATE_COLOURS = {"ok": "#2e8b57", "at_risk": "#d08a00", "late": "#c0392b",
                 "unplanned": "#7f8c8d"}
TYPE_COLOURS = {"business": "#3b82f6", "enabler": "#8b5cf6", "defect": "#ef4444",
                "tech_debt": "#f59e0b"}
CYCLE_COLOUR = "#8e0000"


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class BoardLayout:
    width: float
    height: float
    columns: list[tuple[int | None, str, Box]]          # iteration id, header, header box
    rows: list[tuple[int | None, str, Box]]             # team id (None: milestones), label
    cards: dict[int, tuple[Card, Box]]
    milestones: list[tuple[str, Box]]


def _columns(model: BoardModel) -> list[tuple[int | None, str]]:
    cols: list[tuple[int | None, str]] = [
        (i.id, f"{i.name}  {i.start_date:%d %b}") for i in model.iterations]
    if any(c.iteration_id is None for c in model.cards):
        cols.append((None, "Unplanned"))
    return cols


def layout_board(model: BoardModel) -> BoardLayout:
    cols = _columns(model)
    col_x = {it: MARGIN + LABEL_W + n * COL_W for n, (it, _) in enumerate(cols)}
    width = MARGIN * 2 + LABEL_W + COL_W * len(cols)
    columns = [(it, head, Box(col_x[it], MARGIN, COL_W, HEAD_H)) for it, head in cols]
    y = MARGIN + HEAD_H
    per_column: dict[int | None, int] = {}
    milestones = []
    for m in model.milestones:
        if m.iteration_id not in col_x:
            continue
        n = per_column.get(m.iteration_id, 0)
        per_column[m.iteration_id] = n + 1
        milestones.append((f"{m.day:%d %b} {m.title}",
                           Box(col_x[m.iteration_id] + GAP, y + GAP + n * MILESTONE_H,
                               COL_W - 2 * GAP, MILESTONE_H - 2)))
    ms_h = 2 * GAP + MILESTONE_H * max(1, *per_column.values()) if per_column else 36
    rows: list[tuple[int | None, str, Box]] = [(None, "Milestones", Box(MARGIN, y, width - 2 *
                                                                        MARGIN, ms_h))]
    y += ms_h
    cards: dict[int, tuple[Card, Box]] = {}
    for team in model.teams:
        cells = {it: model.cell(team.id, it) for it, _ in cols}
        most = max([len(c) for c in cells.values()] + [1])
        h = GAP + most * (CARD_H + GAP)
        rows.append((team.id, team.name, Box(MARGIN, y, width - 2 * MARGIN, h)))
        for it, found in cells.items():
            for n, card in enumerate(found):
                cards[card.id] = (card, Box(col_x[it] + (COL_W - CARD_W) / 2,
                                            y + GAP + n * (CARD_H + GAP), CARD_W, CARD_H))
        y += h
    return BoardLayout(width, y + MARGIN + 30, columns, rows, cards, milestones)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _curve(layout: BoardLayout, provider: int, consumer: int
           ) -> tuple[tuple[float, float], ...] | None:
    """Bezier points of a string: left to right, right to left when late, a bracket on the
    right-hand side when both ends share the iteration."""
    if provider not in layout.cards or consumer not in layout.cards:
        return None
    p, c = layout.cards[provider][1], layout.cards[consumer][1]
    py, cy = p.y + p.h / 2, c.y + c.h / 2
    if abs(p.x - c.x) < 1:
        x = p.x + p.w
        return (x, py), (x + 45, py), (x + 45, cy), (x, cy)
    forward = p.x < c.x
    x1, x2 = (p.x + p.w, c.x) if forward else (p.x, c.x + c.w)
    bend = max(40.0, abs(x2 - x1) / 2) * (1 if forward else -1)
    return (x1, py), (x1 + bend, py), (x2 - bend, cy), (x2, cy)


def _svg_card(card: Card, b: Box) -> str:
    colour = TYPE_COLOURS.get(card.work_type, "#3b82f6")
    points = "–" if card.points is None else f"{card.points:g} pts"
    return (f'<g class="card" data-id="{card.id}"><rect x="{b.x}" y="{b.y}" width="{b.w}" '
            f'height="{b.h}" rx="4" fill="#fff" stroke="#c9ced8"/>'
            f'<rect x="{b.x}" y="{b.y}" width="5" height="{b.h}" fill="{colour}"/>'
            f'<text x="{b.x + 10}" y="{b.y + 17}" font-weight="bold">{escape(card.key)}'
            f'<tspan font-weight="normal" fill="#6b7385"> · {points}</tspan></text>'
            f'<text x="{b.x + 10}" y="{b.y + 35}">{escape(_short(card.title, 27))}</text></g>')


def _svg_strings(model: BoardModel, layout: BoardLayout) -> list[str]:
    out = []
    for s in model.strings:
        curve = _curve(layout, s.provider_id, s.consumer_id)
        if curve is None:
            continue
        (x1, y1), (ax, ay), (bx, by), (x2, y2) = curve
        colour = CYCLE_COLOUR if s.in_cycle else STATE_COLOURS[s.state.value]
        dash = ' stroke-dasharray="6 4"' if s.in_cycle or s.awaits_answer else ""
        out.append(f'<path class="string {s.state.value}" d="M{x1},{y1} C{ax},{ay} '
                   f'{bx},{by} {x2},{y2}" fill="none" stroke="{colour}" '
                   f'stroke-width="2.5"{dash}><title>{escape(s.label)}: '
                   f'{s.state.value}</title></path>')
    return out


def board_svg(model: BoardModel) -> str:
    """The board as a standalone SVG document."""
    layout = layout_board(model)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{layout.width}" '
             f'height="{layout.height}" font-family="Helvetica, Arial, sans-serif" '
             f'font-size="12"><rect width="100%" height="100%" fill="#fff"/>',
             f'<text x="{MARGIN}" y="{MARGIN + 26}" font-size="16" font-weight="bold">'
             f'{escape(model.pi.name)}</text>']
    for _, head, b in layout.columns:
        parts.append(f'<rect x="{b.x}" y="{b.y}" width="{b.w}" height="{b.h}" fill="#eef0f4" '
                     f'stroke="#d9dde5"/><text x="{b.x + 8}" y="{b.y + 26}" '
                     f'font-weight="bold">{escape(head)}</text>')
    for _, label, b in layout.rows:
        parts.append(f'<rect x="{b.x}" y="{b.y}" width="{b.w}" height="{b.h}" fill="none" '
                     f'stroke="#d9dde5"/><text x="{b.x + 8}" y="{b.y + 20}" '
                     f'font-weight="bold">{escape(label)}</text>')
    for text, b in layout.milestones:
        parts.append(f'<text x="{b.x}" y="{b.y + 12}" fill="#2457c5">◆ '
                     f'{escape(_short(text, 30))}</text>')
    parts += [_svg_card(card, b) for card, b in layout.cards.values()]
    parts += _svg_strings(model, layout)
    parts.append(_svg_legend(layout))
    parts.append("</svg>")
    return "\n".join(parts)


def _svg_legend(layout: BoardLayout) -> str:
    y = layout.height - MARGIN - 6
    items = []
    for n, (state, colour) in enumerate(STATE_COLOURS.items()):
        x = MARGIN + n * 110
        items.append(f'<line x1="{x}" y1="{y}" x2="{x + 24}" y2="{y}" stroke="{colour}" '
                     f'stroke-width="3"/><text x="{x + 30}" y="{y + 4}">'
                     f'{state.replace("_", " ")}</text>')
    return "".join(items)


def _latin(text: str) -> str:
    """The PDF core fonts speak Latin-1 only."""
    return (text.replace("…", "...").replace("–", "-").replace("·", "-").replace("◆", "*")
            .encode("latin-1", "replace").decode("latin-1"))


def _hex(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def board_pdf(model: BoardModel) -> bytes:
    """The board as a one-page PDF sized to the board (print it on a plotter for the wall)."""
    layout = layout_board(model)
    pdf = FPDF(unit="pt", format=(layout.width, layout.height))
    pdf.set_auto_page_break(False)
    pdf.set_margin(0)
    pdf.add_page()
    pdf.set_font("helvetica", "B", 14)
    pdf.text(MARGIN, MARGIN + 28, _latin(model.pi.name))
    pdf.set_font("helvetica", "B", 10)
    pdf.set_draw_color(217, 221, 229)
    for _, head, b in layout.columns:
        pdf.set_fill_color(238, 240, 244)
        pdf.rect(b.x, b.y, b.w, b.h, style="DF")
        pdf.text(b.x + 8, b.y + 26, _latin(head))
    for _, label, b in layout.rows:
        pdf.rect(b.x, b.y, b.w, b.h)
        pdf.text(b.x + 8, b.y + 20, _latin(label))
    pdf.set_font("helvetica", "", 9)
    for text, b in layout.milestones:
        pdf.text(b.x, b.y + 12, _latin(_short("* " + text, 34)))
    for card, b in layout.cards.values():
        _pdf_card(pdf, card, b)
    _pdf_strings(pdf, model, layout)
    return bytes(pdf.output())


def _pdf_card(pdf: FPDF, card: Card, b: Box) -> None:
    pdf.set_line_width(0.8)
    pdf.set_draw_color(201, 206, 216)
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(b.x, b.y, b.w, b.h, style="DF")
    pdf.set_fill_color(*_hex(TYPE_COLOURS.get(card.work_type, "#3b82f6")))
    pdf.rect(b.x, b.y, 5, b.h, style="F")
    points = "-" if card.points is None else f"{card.points:g} pts"
    pdf.set_font("helvetica", "B", 9)
    pdf.text(b.x + 10, b.y + 17, _latin(f"{card.key}  {points}"))
    pdf.set_font("helvetica", "", 9)
    pdf.text(b.x + 10, b.y + 35, _latin(_short(card.title, 30)))


def _pdf_strings(pdf: FPDF, model: BoardModel, layout: BoardLayout) -> None:
    pdf.set_line_width(2)
    for s in model.strings:
        curve = _curve(layout, s.provider_id, s.consumer_id)
        if curve is None:
            continue
        pdf.set_draw_color(*_hex(CYCLE_COLOUR if s.in_cycle else STATE_COLOURS[s.state.value]))
        if s.in_cycle or s.awaits_answer:
            pdf.set_dash_pattern(dash=5, gap=3)
        else:
            pdf.set_dash_pattern()
        pdf.bezier(list(curve))
    pdf.set_dash_pattern()
