-- Question: Which recent events rest on a single outlet and a low extraction confidence,
--   and should be reviewed by a person before being cited?
-- Answer: one row per such event, least confident first, with its only article.
-- @param max_confidence real 0.6  events at or above this confidence are not listed
-- @param days int 90  look at events first seen within this many days
-- Uses: v_events (events_first_seen_idx), v_event_sources.
SELECT
    e.id          AS event_id,
    e.event_date,
    e.type,
    e.status,
    round(e.confidence::numeric, 2) AS confidence,
    s.source,
    s.url,
    e.evidence,
    e.first_seen_at
FROM v_events e
JOIN LATERAL (
    SELECT source, url FROM v_event_sources s
    WHERE s.event_id = e.id ORDER BY s.published NULLS LAST, s.article_id LIMIT 1
) s ON true
WHERE e.first_seen_at >= now() - make_interval(days => CAST(:days AS int))
  AND e.confidence < CAST(:max_confidence AS real)
  AND e.source_count = 1
ORDER BY e.confidence, e.first_seen_at DESC, e.id;
