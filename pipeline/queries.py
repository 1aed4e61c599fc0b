"""The analysts' worked queries in ``sql/queries/``: reading their documented parameters.

Each file starts with a comment header: ``-- Question: …`` and one
``-- @param name type default  description`` line per parameter (types: text, int, real,
date), so a query runs as written with its defaults, and any parameter can be overridden.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.settings import PROJECT_ROOT

QUERIES_DIR = PROJECT_ROOT / "sql" / "queries"

# "-- @param person text 'Hafter'  description": name, type, default.
PARAM = re.compile(r"^--\s*@param\s+(\w+)\s+(text|int|real|date)\s+('(?:[^']|'')*'|\S+)", re.M)
CONVERT: dict[str, Callable[[str], object]] = {
    "text": lambda v: v[1:-1].replace("''", "'") if v.startswith("'") else v,
    "int": int,
    "real": float,
    "date": lambda v: dt.date.fromisoformat(v.strip("'")),
}


@dataclass(frozen=True)
class WorkedQuery:
    name: str  # the file name without .sql, e.g. "02_contacts_of_a_person"
    path: Path
    sql: str
    question: str
    types: dict[str, str]  # parameter → type
    defaults: dict[str, object]

    def params(self, overrides: dict[str, str] | None = None) -> dict[str, object]:
        """The defaults, with ``overrides`` (as typed on a command line) converted."""
        params = dict(self.defaults)
        for name, value in (overrides or {}).items():
            if name not in self.types:
                known = ", ".join(self.types) or "none"
                raise ValueError(f"{self.name} has no parameter {name!r} (it has: {known})")
            quoted = f"'{value}'" if self.types[name] == "text" else value
            params[name] = CONVERT[self.types[name]](quoted)
        return params


def load_query(path: Path) -> WorkedQuery:
    sql = path.read_text(encoding="utf-8")
    found = PARAM.findall(sql)
    # The question may wrap onto indented comment lines ("--   …").
    question = re.search(r"^--\s*Question:\s*(.+(?:\n--\s{2,}.+)*)", sql, re.M)
    return WorkedQuery(
        name=path.stem,
        path=path,
        sql=sql,
        question=" ".join(question.group(1).replace("--", " ").split()) if question else "",
        types={name: kind for name, kind, _ in found},
        defaults={name: CONVERT[kind](value) for name, kind, value in found},
    )


def load_queries(directory: Path = QUERIES_DIR) -> list[WorkedQuery]:
    return [load_query(path) for path in sorted(directory.glob("*.sql"))]


def find_query(name: str, directory: Path = QUERIES_DIR) -> WorkedQuery:
    """A query by file name or number prefix ("02" finds 02_contacts_of_a_person)."""
    matches = [q for q in load_queries(directory) if q.name == name or q.name.startswith(name)]
    if len(matches) != 1:
        names = ", ".join(q.name for q in load_queries(directory))
        raise ValueError(f"no single query matches {name!r} (queries: {names})")
    return matches[0]
