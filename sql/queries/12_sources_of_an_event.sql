-- Question: Every article that reports one event: outlet, URL, date and the sentence.
-- Answer: one row per reporting article, earliest first.
-- @param event_id int 1  the event (v_events.id)
-- Uses: v_event_sources (event_mentions unique key).
SELECT
    source,
    published,
    fetched_at,
    title,
    url,
    evidence,
    round(confidence::numeric, 2) AS confidence
FROM v_event_sources
WHERE event_id = CAST(:event_id AS bigint)
ORDER BY published NULLS LAST, fetched_at, article_id;
