-- Question: Which outlet was first to report each recent event, and how many followed?
-- Answer: one row per event dated within the period, newest first. "First" is the earliest
--   publication date, then the earliest fetch by the crawler, then the lowest article id.
-- @param days int 30  look at events dated within this many days before today
-- Uses: v_event_sources (events_date_idx, event_mentions unique key).
SELECT
    event_date,
    event_type,
    event_id,
    (array_agg(source    ORDER BY published NULLS LAST, fetched_at, article_id))[1]
                                   AS first_source,
    (array_agg(published ORDER BY published NULLS LAST, fetched_at, article_id))[1]
                                   AS first_published,
    (array_agg(url       ORDER BY published NULLS LAST, fetched_at, article_id))[1]
                                   AS first_url,
    count(*)                       AS reports,
    count(DISTINCT source)         AS outlets
FROM v_event_sources
WHERE event_date >= current_date - CAST(:days AS int)
GROUP BY event_date, event_type, event_id
ORDER BY event_date DESC, event_id DESC;
