"""Import the pipeline and load spaCy ahead of need, so that the stages start warm.

Imported once by each Celery worker at start (Celery's ``imports``). (Not by ``ltwatch run``
in a thread during its crawl: measured, the thread slowed the crawler's start-up, which
competes with it for the CPU and the GIL, by more than it saved the process stage.)

Airflow runs every task in a process forked from its worker (the Celery worker's pool
process, itself forked from the worker): what the worker imported before forking, each task
has for free. Without this, every crawl task re-imported the pipeline (SQLAlchemy, Apprise,
pydantic…) and every process task also loaded spaCy and its English model — seconds of
each task's run, on every run, measured by bench/bench_latency.py.

Importing this module does the work (Celery's ``imports`` setting only imports); nothing
here connects to a database or starts a thread, so forking afterwards is safe.
"""

from __future__ import annotations

import pipeline.process
import pipeline.runner
from pipeline.nlp import load_nlp

load_nlp()

__all__ = ["pipeline"]
