-- Question: Every contact of a named person, whatever the spelling ("Haftar", "Hafter",
--   "Kalın", "Kalin"), newest first, with who was on the other side.
-- Answer: one row per event the person took part in, the newest `max_rows` (raise it to
--   list them all). Names are matched fuzzily against the distinct participant names
--   (v_actors) with pg_trgm's word_similarity, accents folded, so a surname alone finds
--   every person of that name: check matched_name.
-- @param person text 'Hafter'  the person's name, any spelling
-- @param min_similarity real 0.5  0–1; lower finds looser spellings (and more false hits)
-- @param max_rows int 500  how many events to list, newest first
-- Uses: v_actors, then v_event_participants by name (event_participants_name_event_idx).
WITH hits AS (
    SELECT p.event_id, p.event_date, p.event_type, p.event_status, p.location, p.name, p.role
    FROM v_event_participants p
    -- ARRAY(…): the few matching names become index keys, whatever the planner guesses.
    WHERE p.name = ANY (ARRAY(
        SELECT name FROM v_actors
        WHERE word_similarity(ltwatch_unaccent(CAST(:person AS text)), ltwatch_unaccent(name))
              >= CAST(:min_similarity AS real)))
    ORDER BY p.event_date DESC NULLS LAST, p.event_id DESC
    LIMIT CAST(:max_rows AS int)
)
SELECT
    h.event_date,
    h.event_type                                          AS type,
    h.event_status                                        AS status,
    h.location,
    h.name                                                AS matched_name,
    h.role,
    (SELECT string_agg(o.name || COALESCE(' (' || o.side || ')', ''), '; ' ORDER BY o.name)
       FROM v_event_participants o
      WHERE o.event_id = h.event_id AND o.name <> h.name) AS counterparts,
    h.event_id
FROM hits h
ORDER BY h.event_date DESC NULLS LAST, h.event_id DESC;
