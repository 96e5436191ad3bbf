"""The import mapping file (TOML): which tracker containers are which team of which ART,
what the statuses and issue types mean, and where to fetch from.

    [art]
    key = "PAY"                      # the ART the items go into
    name = "Payments ART"            # only used when the ART does not exist yet
    timezone = "Europe/Berlin"       # CSV dates without a zone are read in it

    [jira]                           # or [azure]; see docs/import.md
    url = "https://example.atlassian.net"
    email = "alice@example.org"      # basic auth with an API token; omit for a bearer PAT
    projects = ["OSP", "KES"]
    boards = [12]
    jql = "labels != no-train"

    [[teams]]
    name = "Osprey"
    projects = ["OSP"]               # also: boards, components, labels, area_paths

    [statuses]
    active = ["In Progress", "In Review"]
    waiting = ["Blocked", "Ready for Test"]
    done = ["Done", "Closed"]

    [types]
    epic = ["Epic"]
    feature = ["Feature"]
    story = ["Story", "Task", "Bug"]
    enabler = ["Enabler"]
    defect = ["Bug"]
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainmaster.domain.art import check_key, check_timezone
from trainmaster.domain.errors import Invalid, NotFound
from trainmaster.domain.sync import (
    ImportMapping,
    TeamRule,
    check_status_classes,
    fold,
    parse_kanban,
)
from trainmaster.domain.work_item import ItemLevel, WorkType
from trainmaster.integrations.azure_devops import AzureScope
from trainmaster.integrations.jira import JiraScope

DEFAULT_TYPES = {
    "epic": ["Epic"], "feature": ["Feature"],
    "story": ["Story", "Task", "Bug", "Spike", "User Story", "Product Backlog Item"],
    "enabler": ["Enabler", "Spike"], "defect": ["Bug", "Defect"],
    "tech_debt": ["Tech Debt", "Technical Debt"],
}
DEFAULT_STATUSES = {
    "started": [], "active": ["In Progress", "In Review", "In Development", "Active", "Doing"],
    "waiting": ["Blocked", "Ready for Test", "Ready for Review", "Waiting"],
    "done": ["Done", "Closed", "Resolved"],
}
SECTIONS = {"art", "jira", "azure", "teams", "statuses", "types", "kanban", "links",
            "planning", "csv"}


@dataclass(frozen=True)
class MappingFile:
    mapping: ImportMapping
    jira: JiraScope | None = None
    azure: AzureScope | None = None
    date_format: str | None = None   # [csv] date_format, strptime style
    path: str = ""


def load_mapping(path: str | Path) -> MappingFile:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFound(f"no mapping file {str(path)!r}") from None
    except UnicodeDecodeError as exc:
        raise Invalid(f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start})",
                      field="mapping") from None
    return parse_mapping(text, str(path))


def parse_mapping(text: str, name: str = "mapping") -> MappingFile:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise Invalid(f"{name} is not valid TOML: {exc}", field="mapping") from None
    _known(data, SECTIONS, "mapping")
    art = _table(data, "art")
    _known(art, {"key", "name", "timezone"}, "art")
    if "key" not in art:
        raise Invalid("say which ART the items go into: [art] key = \"...\"", field="art.key")
    statuses = _table(data, "statuses")
    _known(statuses, {*DEFAULT_STATUSES, "initial"}, "statuses")
    planning = _table(data, "planning")
    _known(planning, {"pi_from_fix_version", "iteration_from_sprint"}, "planning")
    levels, work_types = _types(_table(data, "types"))
    mapping = ImportMapping(
        art_key=check_key(_str(art, "key", "art")), art_name=_str(art, "name", "art", ""),
        timezone=check_timezone(_str(art, "timezone", "art", "UTC")),
        teams=_teams(data.get("teams", [])),
        statuses=check_status_classes(*(_folded(statuses, k, DEFAULT_STATUSES[k], "statuses")
                                        for k in ("started", "active", "waiting", "done"))),
        initial_status=_str(statuses, "initial", "statuses", "To Do"),
        levels=levels, work_types=work_types, kanban=parse_kanban(_table(data, "kanban")),
        **_links(_table(data, "links")),
        pi_from_fix_version=_bool(planning, "pi_from_fix_version", True),
        iteration_from_sprint=_bool(planning, "iteration_from_sprint", True))
    csv = _table(data, "csv")
    _known(csv, {"date_format"}, "csv")
    return MappingFile(mapping=mapping, jira=_jira(data), azure=_azure(data),
                       date_format=csv.get("date_format"), path=name)


def _types(types: dict[str, Any]) -> tuple[dict[str, ItemLevel], dict[str, WorkType]]:
    _known(types, {*DEFAULT_TYPES, "skip"}, "types")
    listed = {k: _folded(types, k, DEFAULT_TYPES[k], "types") for k in DEFAULT_TYPES}
    skip = _folded(types, "skip", [], "types")
    levels: dict[str, ItemLevel] = {}
    for level in ItemLevel:
        for name in listed[level.value] - skip:
            if name in levels:
                raise Invalid(f"issue type {name!r} is both {levels[name].value} and "
                              f"{level.value}", field="types")
            levels[name] = level
    work_types: dict[str, WorkType] = {}
    for work_type in (WorkType.ENABLER, WorkType.DEFECT, WorkType.TECH_DEBT):
        for name in listed[work_type.value]:
            if name in work_types:
                raise Invalid(f"issue type {name!r} is both {work_types[name].value} and "
                              f"{work_type.value}", field="types")
            work_types[name] = work_type
    return levels, work_types


def _teams(rows: Any) -> tuple[TeamRule, ...]:
    if not isinstance(rows, list):
        raise Invalid("write teams as [[teams]] tables", field="teams")
    out = []
    for n, row in enumerate(rows, 1):
        where = f"teams[{n}]"
        if not isinstance(row, dict) or not str(row.get("name", "")).strip():
            raise Invalid("every [[teams]] entry needs a name", field=where)
        _known(row, {"name", "projects", "boards", "components", "labels", "area_paths"}, where)
        out.append(TeamRule(
            name=str(row["name"]).strip(), projects=frozenset(_folded(row, "projects", [], where)),
            boards=frozenset(_ints(row, "boards", where)),
            components=frozenset(_folded(row, "components", [], where)),
            labels=frozenset(_folded(row, "labels", [], where)),
            area_paths=tuple(sorted(_folded(row, "area_paths", [], where)))))
    names = [fold(t.name) for t in out]
    if len(set(names)) != len(names):
        raise Invalid("a team is named twice", field="teams")
    return tuple(out)


def _links(links: dict[str, Any]) -> dict[str, frozenset[str]]:
    _known(links, {"provides", "needs"}, "links")
    out = {}
    for name, default in (("provides", ["Blocks"]), ("needs", ["Dependency", "depends on"])):
        out[name] = frozenset(_folded(links, name, default, "links"))
    return out


def _jira(data: dict[str, Any]) -> JiraScope | None:
    if "jira" not in data:
        return None
    j = _table(data, "jira")
    _known(j, {"url", "email", "projects", "boards", "jql", "story_points", "page_size"}, "jira")
    points = tuple(_strs(j, "story_points", "jira")) or JiraScope.story_points
    return JiraScope(url=_str(j, "url", "jira", ""), email=j.get("email"),
                     projects=tuple(_strs(j, "projects", "jira")),
                     boards=_ints(j, "boards", "jira"), jql=_str(j, "jql", "jira", ""),
                     story_points=points,
                     page_size=int(j.get("page_size", 100)))


def _azure(data: dict[str, Any]) -> AzureScope | None:
    if "azure" not in data:
        return None
    a = _table(data, "azure")
    _known(a, {"url", "project", "area_paths", "wiql", "points_fields", "key_prefix"}, "azure")
    fields = tuple(_strs(a, "points_fields", "azure")) or AzureScope.points_fields
    return AzureScope(url=_str(a, "url", "azure", ""), project=_str(a, "project", "azure", ""),
                      area_paths=tuple(_strs(a, "area_paths", "azure")),
                      wiql=_str(a, "wiql", "azure", ""), points_fields=fields,
                      key_prefix=_str(a, "key_prefix", "azure", AzureScope.key_prefix))


def _known(table: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise Invalid(f"unknown {'entry' if len(unknown) == 1 else 'entries'} "
                      f"{', '.join(unknown)} (known: {', '.join(sorted(allowed))})", field=where)


def _table(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise Invalid("must be a table", field=name)
    return value


def _str(table: dict[str, Any], name: str, where: str, default: str | None = None) -> str:
    value = table.get(name, default)
    if not isinstance(value, str):
        raise Invalid("must be a string", field=f"{where}.{name}")
    return value.strip()


def _bool(table: dict[str, Any], name: str, default: bool) -> bool:
    value = table.get(name, default)
    if not isinstance(value, bool):
        raise Invalid("must be true or false", field=f"planning.{name}")
    return value


def _strs(table: dict[str, Any], name: str, where: str) -> list[str]:
    value = table.get(name, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid("must be a list of strings", field=f"{where}.{name}")
    return [v.strip() for v in value if v.strip()]


def _folded(table: dict[str, Any], name: str, default: list[str], where: str) -> set[str]:
    names = _strs(table, name, where) if name in table else default
    return {fold(v) for v in names}


def _ints(table: dict[str, Any], name: str, where: str) -> tuple[int, ...]:
    value = table.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, int) for v in value):
        raise Invalid("must be a list of board ids (numbers)", field=f"{where}.{name}")
    return tuple(value)
