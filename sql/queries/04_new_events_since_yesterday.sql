-- Question: Which events did the pipeline find since yesterday (00:00, server time zone)?
-- Answer: one row per new event, most recently found first.
-- Uses: v_events (events_first_seen_idx). No parameters.
SELECT
    id            AS event_id,
    first_seen_at,
    event_date,
    type,
    status,
    location,
    (SELECT string_agg(p->>'name', '; ') FROM jsonb_array_elements(participants) p)
                  AS participants,
    source_count,
    urls[1]       AS first_url
FROM v_events
WHERE first_seen_at >= date_trunc('day', now()) - interval '1 day'
ORDER BY first_seen_at DESC, id DESC;
