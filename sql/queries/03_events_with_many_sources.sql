-- Question: Which events were reported by more than three outlets (well-corroborated
--   contacts) in the recent period?
-- Answer: one row per event reported by more than `more_than` distinct outlets,
--   most-reported first, with its participants (12_sources_of_an_event.sql lists the
--   articles and their sentences).
-- @param more_than int 3  the event must have more distinct outlets than this
-- @param days int 180  look at events dated within this many days before today
-- Uses: v_event_sources counted per event (events_date_idx, event_mentions unique key,
--   articles_id_source_idx); participants only for the events kept.
WITH counted AS (
    SELECT
        event_id, event_date, event_type, event_status, location,
        count(DISTINCT source) AS outlets
    FROM v_event_sources
    WHERE event_date >= current_date - CAST(:days AS int)
    GROUP BY event_id, event_date, event_type, event_status, location
    HAVING count(DISTINCT source) > CAST(:more_than AS int)
)
SELECT
    c.event_id,
    c.event_date,
    c.event_type   AS type,
    c.event_status AS status,
    c.location,
    c.outlets      AS source_count,
    (SELECT string_agg(p.name, '; ' ORDER BY p.side, p.name)
       FROM v_event_participants p WHERE p.event_id = c.event_id) AS participants
FROM counted c
ORDER BY c.outlets DESC, c.event_date DESC, c.event_id DESC;
