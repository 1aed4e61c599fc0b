"""A bundled sample news site (three outlets with feeds) for ``ltwatch demo`` and tests.

The pages live in ``site/``; ``expected.json`` is the hand-coded ground truth for them
(body paragraphs, boilerplate that must not survive cleaning, and the events a careful
analyst would extract).

Conventions in ``expected.json``: keys are paths relative to ``site/``; paragraphs are
whitespace-normalised exactly as in the HTML; events follow
:class:`pipeline.records.ExtractedEvent` without ``evidence``/``confidence``; participant
names are one canonical English spelling per person (the observer page's "Kalın" and
"Hafter" are coded as "Ibrahim Kalin" and "Khalifa Haftar"); ``same_event_as`` lists
``{"path", "index"}`` references to the same real-world event on another page. Background
(the 2020 deployment, Dbeibah's May trip to Ankara, Saddam Haftar's undated tour of the
ship, the 2019 memorandum) is deliberately not coded as events.
"""

from pipeline.samplesite.server import (
    EXPECTED_PATH,
    SITE_DIR,
    SampleSite,
    load_expected,
    serve,
    write_sources_file,
)

__all__ = [
    "EXPECTED_PATH",
    "SITE_DIR",
    "SampleSite",
    "load_expected",
    "serve",
    "write_sources_file",
]
