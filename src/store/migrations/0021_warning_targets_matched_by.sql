-- 0021: a warning target names what matched it: a recorded component or
-- an open scan finding with one of the warning's CVE ids.
ALTER TABLE warning_targets ADD COLUMN matched_by TEXT NOT NULL DEFAULT 'component';
