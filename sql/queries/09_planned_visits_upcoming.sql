-- Question: Which meetings, visits and calls are announced for the coming days, soonest
--   first (and the planned ones without a date yet, at the end)?
-- Answer: one row per planned contact dated today or later.
-- Uses: v_meetings (events_planned_date_idx). No parameters.
SELECT
    event_date,
    type,
    location,
    turkish_side,
    libyan_side,
    libyan_camps,
    source_count,
    evidence,
    id AS event_id
FROM v_meetings
WHERE status = 'planned'
  AND (event_date >= current_date OR event_date IS NULL)
ORDER BY event_date NULLS LAST, id;
