-- Question: Which recent articles mention a term (full-text search, English stemming: "drone"
--   also finds "drones"; websearch syntax: "exact phrase", or, -exclude), best match first?
-- Answer: the `max_rows` best-ranked articles with a highlighted snippet (**term**).
-- @param term text 'drone'  words to look for (websearch_to_tsquery syntax)
-- @param days int 365  only articles published within this many days before today (every
--   match in the period is ranked: a period keeps common words fast; 100000 = all time)
-- @param max_rows int 20  how many articles to return
-- Uses: v_articles.search (articles_search_idx, GIN) combined with articles_published_idx.
WITH q AS (
    SELECT websearch_to_tsquery('english', ltwatch_unaccent(CAST(:term AS text))) AS query
), best AS (
    SELECT a.id, ts_rank_cd(a.search, q.query) AS rank
    FROM v_articles a, q
    WHERE a.search @@ q.query
      AND a.published >= current_date - CAST(:days AS int)
    ORDER BY rank DESC, a.id DESC
    LIMIT CAST(:max_rows AS int)
)
SELECT
    a.id                       AS article_id,
    a.published,
    a.source,
    a.title,
    a.url,
    round(best.rank::numeric, 4) AS rank,
    ts_headline('english', ltwatch_unaccent(a.text), q.query,
                'StartSel=**, StopSel=**, MaxWords=25, MinWords=10, MaxFragments=2')
                               AS snippet
FROM best
JOIN v_articles a ON a.id = best.id
CROSS JOIN q
ORDER BY best.rank DESC, a.id DESC;
