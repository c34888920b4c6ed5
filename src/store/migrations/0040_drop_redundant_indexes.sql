-- 0040: three indexes no query needs, each written on every new incident.
-- Creating an incident dirtied ~34 pages, about 7 of them in these:
--   incidents_detected (detected_at) is the first column of
--     incidents_month_group (detected_at, taxonomy_code, org_id), which
--     answers the same range queries;
--   deadlines_open_due (due_at WHERE met_at IS NULL) was superseded by
--     deadlines_dashboard (0016), which the dashboard names;
--   deadlines_due (status, due_at) is used by no query (deadlines are read
--     by incident through the table's unique key).
-- IF EXISTS: the migration is idempotent, so it may be renumbered.
DROP INDEX IF EXISTS incidents_detected;
DROP INDEX IF EXISTS deadlines_open_due;
DROP INDEX IF EXISTS deadlines_due;
