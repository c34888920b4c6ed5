-- 0015: incidents counted per month (Vietnam time), taxonomy group and
-- organisation, kept by triggers, so that the dashboard's chart of the last
-- twelve months reads a few hundred rows instead of every incident of the
-- year. org_id 0 stands for "no organisation".
CREATE TABLE incident_month_counts (
	month TEXT NOT NULL,
	grp TEXT NOT NULL,
	org_id INTEGER NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (month, grp, org_id)
) WITHOUT ROWID;

INSERT INTO incident_month_counts (month, grp, org_id, n)
SELECT strftime('%Y-%m', detected_at + 25200, 'unixepoch'),
	CASE WHEN taxonomy_code = '' THEN '' ELSE substr(taxonomy_code, 1, 1) END,
	coalesce(org_id, 0), count(*)
FROM incidents GROUP BY 1, 2, 3;

CREATE TRIGGER incident_month_counts_insert AFTER INSERT ON incidents
BEGIN
	INSERT INTO incident_month_counts (month, grp, org_id, n)
	VALUES (strftime('%Y-%m', NEW.detected_at + 25200, 'unixepoch'),
		CASE WHEN NEW.taxonomy_code = '' THEN '' ELSE substr(NEW.taxonomy_code, 1, 1) END,
		coalesce(NEW.org_id, 0), 1)
	ON CONFLICT (month, grp, org_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER incident_month_counts_delete AFTER DELETE ON incidents
BEGIN
	UPDATE incident_month_counts SET n = n - 1
	WHERE month = strftime('%Y-%m', OLD.detected_at + 25200, 'unixepoch')
	  AND grp = CASE WHEN OLD.taxonomy_code = '' THEN '' ELSE substr(OLD.taxonomy_code, 1, 1) END
	  AND org_id = coalesce(OLD.org_id, 0);
END;

CREATE TRIGGER incident_month_counts_update AFTER UPDATE OF detected_at, taxonomy_code, org_id ON incidents
BEGIN
	UPDATE incident_month_counts SET n = n - 1
	WHERE month = strftime('%Y-%m', OLD.detected_at + 25200, 'unixepoch')
	  AND grp = CASE WHEN OLD.taxonomy_code = '' THEN '' ELSE substr(OLD.taxonomy_code, 1, 1) END
	  AND org_id = coalesce(OLD.org_id, 0);
	INSERT INTO incident_month_counts (month, grp, org_id, n)
	VALUES (strftime('%Y-%m', NEW.detected_at + 25200, 'unixepoch'),
		CASE WHEN NEW.taxonomy_code = '' THEN '' ELSE substr(NEW.taxonomy_code, 1, 1) END,
		coalesce(NEW.org_id, 0), 1)
	ON CONFLICT (month, grp, org_id) DO UPDATE SET n = n + 1;
END;
