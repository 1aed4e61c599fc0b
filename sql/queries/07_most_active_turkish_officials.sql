-- Question: Which Turkish officials had the most contacts with Libyans this year?
-- Answer: one row per Turkish participant, most contacts first, with their latest role,
--   how the contacts split by type and how many distinct Libyan counterparts they saw.
-- @param max_rows int 20  how many officials to list
-- Uses: v_event_participants (events_date_idx: only this year's events are read).
SELECT
    t.name,
    (array_agg(t.role ORDER BY t.event_date DESC) FILTER (WHERE t.role IS NOT NULL))[1]
                                                           AS latest_role,
    count(DISTINCT t.event_id)                             AS contacts,
    count(DISTINCT t.event_id) FILTER (WHERE t.event_type = 'meeting') AS meetings,
    count(DISTINCT t.event_id) FILTER (WHERE t.event_type = 'visit')   AS visits,
    count(DISTINCT t.event_id) FILTER (WHERE t.event_type = 'call')    AS calls,
    count(DISTINCT l.name)                                 AS libyan_counterparts,
    max(t.event_date)                                      AS last_contact
FROM v_event_participants t
LEFT JOIN v_event_participants l ON l.event_id = t.event_id AND l.side = 'libya'
WHERE t.side = 'turkiye'
  AND t.event_status = 'occurred'
  AND t.event_date >= date_trunc('year', current_date)::date
  AND t.event_date <= current_date
GROUP BY t.name
ORDER BY contacts DESC, last_contact DESC, t.name
LIMIT CAST(:max_rows AS int);
