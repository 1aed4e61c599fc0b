"""Latency benchmark: a new item published on a local feed → its alert delivered.

    uv run python bench/bench_latency.py [--mode run|airflow|both] [--repeats 3]
                                         [--executor local|celery] [--no-preload]

One RSS outlet on 127.0.0.1 and a webhook receiver as the alert channel. After a first
pass has stored the feed's old item, each repeat publishes a new article (a Türkiye–Libya
meeting, other people each time, so each is a new event and a new alert), then:

- ``run``: runs ``ltwatch run`` at once, as a cron job or a loop would;
- ``airflow``: has ``ltwatch airflow`` (``--executor local``: ``airflow standalone``;
  ``celery``: two Celery workers, Redis at ``LTWATCH_CELERY_BROKER_URL``) running, and
  triggers the ``crawl`` DAG through the REST API at once (``LTWATCH_SCHEDULE=none``);

and measures until the receiver has the alert. On a schedule, the wait for the next crawl
(half the interval on average: 2.5 min with the default 5-minute schedule) comes on top.

Each stage's share comes from what the pipeline records: ``crawl_reports.started_at``
(the spider is open: Scrapy has started), ``finished_at``, ``events.first_seen_at``,
``alert_outbox.claimed_at`` (the alert stage took it) and, with Airflow, the crawl task's
start. Prints the median over the repeats. Database: a scratch database on the server at
``LTWATCH_DATABASE_URL`` (created and dropped), else a throw-away embedded PostgreSQL.

Not a timed test: figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy as sa
import yaml
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline import db
from pipeline.airflow_local import airflow_database_url, ensure_database
from pipeline.settings import Settings
from tests.airflow_api import LocalAirflow, admin_token, by_task, free_port, wait_until_up
from tests.faultserver import FaultServer

SOURCE = "bench-outlet"
# (Turkish side, Libyan side, city): other people each repeat, so that the pipeline sees a
# new meeting, not another report of the last one.
MEETINGS = [
    ("Turkish Defence Minister Yasar Guler", "Mohamed al-Menfi", "Ankara"),
    ("Turkish Foreign Minister Hakan Fidan", "Abdul Hamid Dbeibah", "Tripoli"),
    ("Turkish parliament speaker Numan Kurtulmus", "Aguila Saleh", "Ankara"),
    ("Turkish intelligence chief Ibrahim Kalin", "Mohamed Takala", "Tripoli"),
    ("President Recep Tayyip Erdogan", "Khaled al-Mishri", "Istanbul"),
]


# --- the outlet and the alert receiver ----------------------------------------------------


class Outlet:
    """An RSS feed on the fault server; ``publish`` adds an item and its article page."""

    def __init__(self) -> None:
        self.server = FaultServer()
        self.items: list[tuple[str, str, dt.datetime]] = []
        page = self._page("Weather: a mild week ahead", "Forecasters expect a mild week.")
        self._add("/news/weather.html", "Weather: a mild week ahead", page)

    @property
    def feed_url(self) -> str:
        return f"{self.server.base}/rss.xml"

    def _page(self, title: str, body: str) -> str:
        today = dt.date.today()
        return (
            f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body><nav>Home | Region</nav><article><h1>{title}</h1>"
            f"<p class='date'>{today:%d %B %Y}</p>{body}</article>"
            "<footer>Bench outlet</footer></body></html>"
        )

    def _add(self, path: str, title: str, page: str) -> str:
        self.server.add(path, page.encode(), content_type="text/html; charset=utf-8")
        url = self.server.base + path
        self.items.insert(0, (url, title, dt.datetime.now(dt.UTC)))
        items = "".join(
            f"<item><title>{t}</title><link>{u}</link><guid>{u}</guid>"
            f"<pubDate>{format_datetime(when)}</pubDate></item>"
            for u, t, when in self.items
        )
        self.server.add(
            "/rss.xml",
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bench</title>'
            f"<link>{self.server.base}/</link>{items}</channel></rss>".encode(),
            content_type="application/rss+xml; charset=utf-8",
        )
        return url

    def publish(self, number: int) -> str:
        turkish, libyan, city = MEETINGS[number % len(MEETINGS)]
        weekday = f"{dt.date.today():%A}"
        title = f"{turkish.split(' ', 3)[-1]} meets {libyan} in {city}"
        body = (
            f"<p>{turkish} met {libyan} in {city} on {weekday}, officials said in a written "
            "statement.</p><p>The two sides talked about training programmes and about a "
            "joint committee that is due to meet again early next year.</p><p>Officials "
            "from both delegations attended the talks, which lasted about two hours.</p>"
        )
        return self._add(f"/news/meeting-{number}.html", title, self._page(title, body))


class Receiver:
    """A webhook (Apprise ``json://``) that notes when each message arrived."""

    def __init__(self) -> None:
        self.arrivals: list[tuple[float, dict[str, Any]]] = []
        self.cond = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.cond:
                    receiver.arrivals.append((time.time(), json.loads(body or b"{}")))
                    receiver.cond.notify_all()
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"json://127.0.0.1:{self.httpd.server_port}/"

    def wait_for(self, text: str, timeout: float) -> float:
        """When the first message mentioning ``text`` arrived (epoch seconds)."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for when, message in self.arrivals:
                    if text in json.dumps(message, ensure_ascii=False):
                        return when
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no alert mentioning {text!r} in {timeout:g} s")
                self.cond.wait(left)


# --- database -------------------------------------------------------------------------------


@contextlib.contextmanager
def scratch_database() -> Iterator[str]:
    server = os.environ.get("LTWATCH_DATABASE_URL")
    if not server:
        data_dir = Path(tempfile.mkdtemp(prefix="ltwatch-bench-pg-"))
        url = db.resolve_database_url(
            Settings(database_url=None, data_dir=data_dir), keep_running=False
        )
        try:
            yield url
        finally:
            db.stop_embedded(data_dir)
        return
    name = f"ltwatch_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(db.libpq_url(server), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = db.sqlalchemy_url(make_url(server).set(database=name).render_as_string(False))
    try:
        yield url
    finally:
        db.get_engine(url).dispose()
        with psycopg.connect(db.libpq_url(server), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def recorded(url: str, page_url: str, timeout: float = 60) -> dict[str, float]:
    """The pipeline's own timestamps for the page at ``page_url`` (epoch seconds).

    Polled: the receiver can have the message before the outbox row is committed.
    """
    query = sa.text(
        """
        SELECT extract(epoch FROM r.started_at) AS crawler_open,
               extract(epoch FROM p.fetched_at) AS page_stored,
               extract(epoch FROM r.finished_at) AS crawl_done,
               extract(epoch FROM min(e.first_seen_at)) AS event_stored,
               extract(epoch FROM min(o.claimed_at)) AS alert_claimed
        FROM pages p
        JOIN crawl_reports r ON r.source = p.source AND r.started_at <= p.fetched_at
             AND (r.finished_at IS NULL OR r.finished_at >= p.fetched_at)
        JOIN articles a ON a.page_id = p.id
        JOIN event_mentions m ON m.article_id = a.id
        JOIN events e ON e.id = m.event_id
        JOIN alert_outbox o ON o.event_id = e.id
        WHERE p.url = :url
        GROUP BY r.started_at, p.fetched_at, r.finished_at
        """
    )
    deadline = time.monotonic() + timeout
    while True:
        with db.get_engine(url).connect() as conn:
            row = conn.execute(query, {"url": page_url}).mappings().one_or_none()
        if row is not None and None not in row.values():
            return {k: float(v) for k, v in row.items()}
        if time.monotonic() > deadline:
            raise TimeoutError(f"incomplete timestamps for {page_url}: {row}")
        time.sleep(0.5)


# --- the two ways of running the pipeline ---------------------------------------------------


def base_env(url: str, sources: Path, receiver: Receiver, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "LTWATCH_"))}
    return env | {
        "LTWATCH_DATABASE_URL": url,
        "LTWATCH_DATA_DIR": str(home / "data"),
        "LTWATCH_SOURCES": str(sources),
        "LTWATCH_ALERT_URLS": receiver.url,
        "LTWATCH_CELERY_BROKER_URL": os.environ.get(
            "LTWATCH_CELERY_BROKER_URL", "redis://127.0.0.1:6379/14"
        ),
    }


def ltwatch_run(env: dict[str, str]) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "run"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"ltwatch run failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")


@contextlib.contextmanager
def local_airflow(
    env: dict[str, str], url: str, home: Path, executor: str, preload: bool = True
) -> Iterator[LocalAirflow]:
    metadata = f"ltwatch_bench_airflow_{uuid.uuid4().hex[:8]}"
    ensure_database(url, metadata)
    port = free_port()
    env = env | {
        "LTWATCH_AIRFLOW_DATABASE_URL": airflow_database_url(url, metadata),
        "LTWATCH_SCHEDULE": "none",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
    }
    if not preload:  # Airflow's own Celery configuration: workers import nothing ahead
        env["AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS"] = (
            "airflow.providers.celery.executors.default_celery.DEFAULT_CELERY_CONFIG"
        )
    if executor == "celery":
        import redis

        redis.Redis.from_url(env["LTWATCH_CELERY_BROKER_URL"]).flushdb()
    log = home / "ltwatch-airflow.log"
    command = [sys.executable, "-m", "pipeline.cli", "airflow", "--port", str(port)]
    command += ["--executor", executor, "--log-port", str(free_port())]
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url, process, log)
        token = admin_token(base_url, home / "data" / "airflow")
        sources = Path(env["LTWATCH_SOURCES"])
        yield LocalAirflow(base_url, token, env, log, sources, url, None, "")  # type: ignore[arg-type]
    finally:
        process.send_signal(signal.SIGINT if executor == "local" else signal.SIGTERM)
        try:
            process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        with psycopg.connect(db.libpq_url(url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{metadata}" WITH (FORCE)')


def airflow_pass(airflow: LocalAirflow) -> dict[str, float]:
    """Trigger crawl; wait for its alert run; the crawl task's start (epoch seconds)."""
    run_id = airflow.trigger("crawl")
    airflow.wait_for_run("crawl", run_id=run_id, timeout=600)
    tis = by_task(airflow.task_instances("crawl", run_id))
    started = tis["crawl_source[0]"]["start_date"]
    return {"crawl_task_start": dt.datetime.fromisoformat(started).timestamp()}


# --- measuring ------------------------------------------------------------------------------

STAGES = [
    ("published → crawler open", "published", "crawler_open"),
    ("crawler open → page stored", "crawler_open", "page_stored"),
    ("page stored → crawl done", "page_stored", "crawl_done"),
    ("crawl done → event stored", "crawl_done", "event_stored"),
    ("event stored → alert claimed", "event_stored", "alert_claimed"),
    ("alert claimed → delivered", "alert_claimed", "delivered"),
]
AIRFLOW_SPLIT = [
    ("published → crawl task start", "published", "crawl_task_start"),
    ("crawl task start → crawler open", "crawl_task_start", "crawler_open"),
]


def report(label: str, runs: list[dict[str, float]], airflow: bool) -> None:
    totals = [r["delivered"] - r["published"] for r in runs]
    total = statistics.median(totals)
    print(f"\n{label}: published → alert delivered, {len(runs)} repeats")
    print(f"  median {total:6.1f} s   (each: {', '.join(f'{t:.1f}' for t in totals)})")
    stages = STAGES if not airflow else AIRFLOW_SPLIT + STAGES[1:]
    for name, start, end in stages:
        median = statistics.median(r[end] - r[start] for r in runs)
        print(f"  {name:34s} {median:6.1f} s  {100 * median / total:5.1f} %")


def measure(mode: str, args: argparse.Namespace) -> list[dict[str, float]]:
    runs: list[dict[str, float]] = []
    with (
        scratch_database() as url,
        tempfile.TemporaryDirectory(prefix="ltwatch-bench-") as tmp,
    ):
        home = Path(tmp)
        db.upgrade(url)
        outlet, receiver = Outlet(), Receiver()
        sources = home / "sources.yaml"
        entry = {"name": SOURCE, "kind": "rss", "url": outlet.feed_url}
        entry |= {"allowed_domains": ["127.0.0.1"], "language": "en"}
        sources.write_text(yaml.safe_dump({"sources": [entry]}))
        env = base_env(url, sources, receiver, home)
        with contextlib.ExitStack() as stack:
            airflow = None
            if mode == "airflow":
                airflow = stack.enter_context(
                    local_airflow(env, url, home, args.executor, preload=not args.no_preload)
                )
                airflow.wait_for_dags()
                airflow_pass(airflow)  # stores the old item
            else:
                ltwatch_run(env)
            for number in range(args.repeats):
                page_url = outlet.publish(number)
                published = time.time()
                extra = airflow_pass(airflow) if airflow else (ltwatch_run(env) or {})
                delivered = receiver.wait_for(page_url, 600)  # the alert lists its sources
                times = recorded(url, page_url) | extra
                times |= {"published": published, "delivered": delivered}
                runs.append(times)
                print(f"  {mode} repeat {number + 1}: {delivered - published:.1f} s", flush=True)
        outlet.server.close()
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mode", choices=["run", "airflow", "both"], default="both")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--executor", choices=["local", "celery"], default="local")
    parser.add_argument(
        "--no-preload", action="store_true", help="Celery workers without pipeline.preload"
    )
    args = parser.parse_args()
    modes = ["run", "airflow"] if args.mode == "both" else [args.mode]
    results = {mode: measure(mode, args) for mode in modes}
    for mode, runs in results.items():
        label = "ltwatch run" if mode == "run" else f"ltwatch airflow ({args.executor})"
        label += " without preload" if args.no_preload and mode == "airflow" else ""
        report(label, runs, airflow=mode == "airflow")


if __name__ == "__main__":
    main()
