"""Where the dependency graph's boxes and strings go: team rows by iteration columns.

Each dependency end is a box in the row of its team and the column of its iteration; a
string runs from the provider's box to the consumer's, so a string that runs backwards
(right to left) or stays in its column is late or at risk at a glance. The page draws the
layout as SVG; nothing here knows about HTML.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from trainmaster.services.dependency_views import DependencyAnalysis, DependencyRow, ItemRef

LEFT, TOP, BOX_H, GAP, PAD = 150, 40, 26, 6, 10
MIN_COLUMN, MAX_COLUMN, MARGIN = 160, 320, 14
CHAR_WIDTH = 5.8           # average width of a 12 px character, for cutting labels


@dataclass(frozen=True)
class ColumnBox:
    x: float
    width: float
    label: str
    is_ip: bool


@dataclass(frozen=True)
class RowBox:
    y: float
    height: float
    label: str
    team_id: int | None


@dataclass(frozen=True)
class NodeBox:
    item: ItemRef
    x: float
    y: float
    width: float
    classes: str

    @property
    def cy(self) -> float:
        return self.y + BOX_H / 2

    @property
    def label(self) -> str:
        """Key and as much of the title as fits the box."""
        room = int((self.width - 12) / CHAR_WIDTH)
        text = f"{self.item.key} {self.item.title}"
        return text if len(text) <= room else text[:max(room - 1, len(self.item.key))] + "…"


@dataclass(frozen=True)
class EdgePath:
    dependency: DependencyRow
    d: str
    classes: str


@dataclass(frozen=True)
class GraphLayout:
    width: float
    height: float
    columns: list[ColumnBox]
    rows: list[RowBox]
    nodes: list[NodeBox]
    edges: list[EdgePath]
    box_w: float
    box_h: float = BOX_H


def _row_order(analysis: DependencyAnalysis) -> list[tuple[int | None, str]]:
    """The scope's teams by name, then teams of other ARTs, then items without a team."""
    seen = {ref.team_id: ref.team for ref in analysis.items}
    own = {t.id for t in analysis.teams}
    return sorted(seen.items(), key=lambda tl: (tl[0] is None, tl[0] not in own, tl[1]))


def _column_of(analysis: DependencyAnalysis, ref: ItemRef) -> int:
    for n, column in enumerate(analysis.columns):
        if ref.slot in column.slots:
            return n
    return len(analysis.columns) - 1


def layout_graph(analysis: DependencyAnalysis, width: float = 1500) -> GraphLayout:
    """Boxes and strings of the analysis, its columns widened to fill about `width`."""
    count = max(len(analysis.columns), 1)
    column = min(MAX_COLUMN, max(MIN_COLUMN, (width - LEFT) / count))
    box_w = column - 2 * MARGIN
    rows = _row_order(analysis)
    row_of = {team: n for n, (team, _) in enumerate(rows)}
    cells: dict[tuple[int, int], list[ItemRef]] = defaultdict(list)
    for ref in analysis.items:
        cells[(row_of[ref.team_id], _column_of(analysis, ref))].append(ref)
    heights = [max([len(v) for (r, _), v in cells.items() if r == n], default=1)
               for n in range(len(rows))]
    row_boxes, y = [], float(TOP)
    for (team, label), boxes in zip(rows, heights, strict=True):
        height = PAD * 2 + boxes * BOX_H + (boxes - 1) * GAP
        row_boxes.append(RowBox(y, height, label, team))
        y += height
    critical = {r.id for r in analysis.critical_path.items}
    cycled = {r.id for c in analysis.cycles for r in c.items}
    nodes: dict[int, NodeBox] = {}
    for (r, c), refs in cells.items():
        for k, ref in enumerate(sorted(refs, key=lambda i: i.key)):
            classes = " ".join(filter(None, [
                "node", ref.level, "outside" if not ref.in_scope else "",
                "critical" if ref.id in critical else "", "cycle" if ref.id in cycled else ""]))
            nodes[ref.id] = NodeBox(ref, LEFT + c * column + MARGIN,
                                    row_boxes[r].y + PAD + k * (BOX_H + GAP), box_w, classes)
    columns = [ColumnBox(LEFT + n * column, column, col.label, col.is_ip)
               for n, col in enumerate(analysis.columns)]
    edges = [_edge(d, nodes[d.provider.id], nodes[d.consumer.id])
             for d in analysis.dependencies]
    return GraphLayout(LEFT + column * count + 10, y + 10, columns, row_boxes,
                       list(nodes.values()), edges, box_w)


def _edge(dep: DependencyRow, provider: NodeBox, consumer: NodeBox) -> EdgePath:
    sx, sy = provider.x + provider.width, provider.cy
    ex, ey = consumer.x, consumer.cy
    bend = max(40.0, abs(ex - sx) / 2)
    d = (f"M{sx:.1f},{sy:.1f} C{sx + bend:.1f},{sy:.1f} {ex - bend:.1f},{ey:.1f} "
         f"{ex:.1f},{ey:.1f}")
    classes = " ".join(filter(None, [
        "edge", dep.state.value, "cycle" if dep.in_cycle else "",
        "critical" if dep.critical else "", "cross-art" if dep.cross_art else ""]))
    return EdgePath(dep, d, classes)
