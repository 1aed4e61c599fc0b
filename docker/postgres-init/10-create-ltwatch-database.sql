-- Runs once, when the postgres service initialises an empty data volume (the official image
-- executes /docker-entrypoint-initdb.d/*.sql as POSTGRES_USER against POSTGRES_DB).
-- Airflow's metadata lives in POSTGRES_DB ("airflow"); the project's pages, articles, events
-- and alert outbox live in their own database so either can be dumped, restored or dropped
-- without touching the other. The schema is created by the pipeline's Alembic migrations,
-- which every stage applies on start.
CREATE DATABASE ltwatch;
