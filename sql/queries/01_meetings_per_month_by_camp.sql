-- Question: How many meetings, visits and calls with Türkiye took place each month, by the
--   Libyan camp involved (Tripoli-based government vs the eastern camp)?
-- Answer: one row per (month, camp), newest month first. A contact with both camps counts
--   once under each; Libyan participants whose camp is not known count as 'unknown'.
-- @param months int 24  how many months back to look, the current month included
-- Uses: v_event_participants (indexes: events_date_idx, event_participants unique key).
SELECT
    date_trunc('month', event_date)::date                              AS month,
    COALESCE(camp, 'unknown')                                          AS camp,
    count(DISTINCT event_id)                                           AS contacts,
    count(DISTINCT event_id) FILTER (WHERE event_type = 'meeting')     AS meetings,
    count(DISTINCT event_id) FILTER (WHERE event_type = 'visit')       AS visits,
    count(DISTINCT event_id) FILTER (WHERE event_type = 'call')        AS calls
FROM v_event_participants
WHERE side = 'libya'
  AND event_type IN ('meeting', 'visit', 'call')
  AND event_status = 'occurred'
  AND event_date >= (date_trunc('month', current_date)
                     - make_interval(months => CAST(:months AS int) - 1))::date
  AND event_date <= current_date
GROUP BY 1, 2
ORDER BY 1 DESC, 2;
