-- 0030: threat hunts started from the web interface on an uploaded log.
-- The log itself is stored by content (DATA/evidence/<sha256>) like
-- evidence; a background worker runs the hunt and fills in progress,
-- counts and the first hits. When done, hits become alerts (hunt_alerts
-- links them) and the hunt becomes the system's threat_hunt activity.
CREATE TABLE hunts (
	id INTEGER PRIMARY KEY,
	system_id INTEGER NOT NULL REFERENCES systems(id),
	-- queued, running, done, failed
	status TEXT NOT NULL DEFAULT 'queued',
	filename TEXT NOT NULL,
	sha256 TEXT NOT NULL,
	size INTEGER NOT NULL,
	bytes_done INTEGER NOT NULL DEFAULT 0,
	bytes_total INTEGER NOT NULL DEFAULT 0,
	events INTEGER NOT NULL DEFAULT 0,
	hits INTEGER NOT NULL DEFAULT 0,
	alerts_created INTEGER NOT NULL DEFAULT 0,
	alerts_deduplicated INTEGER NOT NULL DEFAULT 0,
	-- hits by level and by rule, as JSON
	summary TEXT NOT NULL DEFAULT '{}',
	-- why a failed hunt failed; for a done one, problems met on the way
	error TEXT NOT NULL DEFAULT '',
	warning TEXT NOT NULL DEFAULT '',
	activity_id INTEGER REFERENCES activities(id),
	created_by INTEGER REFERENCES users(id),
	created_at INTEGER NOT NULL,
	started_at INTEGER,
	finished_at INTEGER
);
CREATE INDEX hunts_system ON hunts(system_id, id);
CREATE INDEX hunts_status ON hunts(status);

-- The first hits of a hunt (capped by the service), for the report.
CREATE TABLE hunt_hits (
	hunt_id INTEGER NOT NULL REFERENCES hunts(id),
	seq INTEGER NOT NULL,
	engine TEXT NOT NULL,
	rule_id TEXT NOT NULL,
	title TEXT NOT NULL,
	level TEXT NOT NULL,
	time TEXT NOT NULL DEFAULT '',
	host TEXT NOT NULL DEFAULT '',
	source TEXT NOT NULL DEFAULT '',
	record INTEGER NOT NULL DEFAULT 0,
	-- {field: value} of the fields that matched
	matched TEXT NOT NULL DEFAULT '{}',
	dedup_key TEXT NOT NULL DEFAULT '',
	alert_id INTEGER REFERENCES alerts(id),
	PRIMARY KEY (hunt_id, seq)
);

-- The alerts a hunt's hits became (new, or merged into an open one).
CREATE TABLE hunt_alerts (
	hunt_id INTEGER NOT NULL REFERENCES hunts(id),
	alert_id INTEGER NOT NULL REFERENCES alerts(id),
	merged INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (hunt_id, alert_id)
);
