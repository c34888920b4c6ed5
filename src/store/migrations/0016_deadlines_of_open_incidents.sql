-- 0016: the dashboard lists the deadlines of open incidents only. Most
-- incidents of a province are closed, so an index of unmet deadlines walked
-- in due order spent its time skipping closed incidents' deadlines. A flag
-- kept by a trigger lets a partial index hold exactly the dashboard's rows.
ALTER TABLE deadlines ADD COLUMN incident_open INTEGER NOT NULL DEFAULT 1;
UPDATE deadlines SET incident_open = 0
	WHERE incident_id IN (SELECT id FROM incidents WHERE status <> 'open');
CREATE INDEX deadlines_dashboard ON deadlines(due_at) WHERE met_at IS NULL AND incident_open = 1;
CREATE TRIGGER deadlines_follow_incident_status AFTER UPDATE OF status ON incidents
BEGIN
	UPDATE deadlines SET incident_open = (NEW.status = 'open') WHERE incident_id = NEW.id;
END;
