-- 0005: indexes for the dashboard: open incidents by step and severity,
-- incidents per month by taxonomy group, and open deadlines by due time,
-- each answered from an index instead of a scan of every incident.
CREATE INDEX incidents_open_step ON incidents(status, step, severity);
CREATE INDEX incidents_month_group ON incidents(detected_at, taxonomy_code, org_id);
CREATE INDEX deadlines_open_due ON deadlines(due_at) WHERE met_at IS NULL;
