-- Question: Where do Libya–Türkiye contacts take place? Counts per place over a period,
--   optionally only places whose name contains some text ('' = every place).
-- Answer: one row per (location, country), most events first.
-- @param place text ''  part of a place name, case-insensitive ('Ankara', 'tripoli'); '' for all
-- @param days int 365  look at events dated within this many days before today
-- Uses: v_events (every type, not only v_meetings' ones), restricted by date
--   (events_date_idx); events_location_trgm_idx serves ILIKE over long periods.
SELECT
    COALESCE(location, '(no place: calls, statements)') AS location,
    country,
    count(*)                                         AS events,
    count(*) FILTER (WHERE type = 'meeting')         AS meetings,
    count(*) FILTER (WHERE type = 'visit')           AS visits,
    count(*) FILTER (WHERE type = 'agreement')       AS agreements,
    count(*) FILTER (WHERE type = 'military')        AS military,
    min(event_date)                                  AS first_event,
    max(event_date)                                  AS last_event
FROM (
    -- Only the event columns: no participants or sources are computed for the count.
    SELECT e.location, e.country, e.type, e.event_date
    FROM v_events e
    WHERE e.event_date >= current_date - CAST(:days AS int)
      AND e.status = 'occurred'
      AND (CAST(:place AS text) = ''
           OR e.location ILIKE '%' || CAST(:place AS text) || '%')
) e
GROUP BY 1, 2
ORDER BY events DESC, last_event DESC, 1;
