"""libya-turkiye-watch: the pipeline library (cleaning, extraction, storage, alerts, CLI).

Nothing in this package imports Airflow: the DAGs in ``dags/`` call into it, and so does
the ``ltwatch`` command line, so that everything a DAG does can be done by hand.
"""

__version__ = "0.1.0"
