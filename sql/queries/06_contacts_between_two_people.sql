-- Question: When did two named people meet, visit or call each other (or sign something
--   together)? Both names are matched fuzzily, as in 02_contacts_of_person.sql.
-- Answer: one row per shared event, the newest `max_rows` (raise it to list them all).
-- @param person_a text 'Ibrahim Kalin'  first person, any spelling
-- @param person_b text 'Hafter'  second person, any spelling
-- @param min_similarity real 0.5  0–1; lower finds looser spellings
-- @param max_rows int 500  how many events to list, newest first
-- Uses: v_actors, v_event_participants (event_participants_name_event_idx), v_events.
WITH shared AS (
    SELECT pa.event_id, pa.event_date, pa.name AS person_a, pb.name AS person_b
    FROM v_event_participants pa
    JOIN v_event_participants pb ON pb.event_id = pa.event_id AND pb.name <> pa.name
    -- ARRAY(…): the few matching names become index keys, whatever the planner guesses.
    WHERE pa.name = ANY (ARRAY(
            SELECT name FROM v_actors
            WHERE word_similarity(ltwatch_unaccent(CAST(:person_a AS text)),
                                  ltwatch_unaccent(name)) >= CAST(:min_similarity AS real)))
      AND pb.name = ANY (ARRAY(
            SELECT name FROM v_actors
            WHERE word_similarity(ltwatch_unaccent(CAST(:person_b AS text)),
                                  ltwatch_unaccent(name)) >= CAST(:min_similarity AS real)))
    ORDER BY pa.event_date DESC NULLS LAST, pa.event_id DESC
    LIMIT CAST(:max_rows AS int)
)
SELECT
    s.event_date,
    e.type,
    e.status,
    e.location,
    s.person_a,
    s.person_b,
    e.source_count,
    e.evidence,
    s.event_id
FROM shared s
JOIN v_events e ON e.id = s.event_id
ORDER BY s.event_date DESC NULLS LAST, s.event_id DESC;
