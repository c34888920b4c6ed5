-- 0012: warnings (cảnh báo) issued by the Department or imported (CISA
-- KEV), and one target per affected system, which its organisation
-- acknowledges and closes as fixed, not affected or accepted risk.
CREATE TABLE warnings (
	id INTEGER PRIMARY KEY,
	title TEXT NOT NULL,
	-- manual, cisa-kev
	source TEXT NOT NULL DEFAULT 'manual',
	external_id TEXT,
	cves TEXT NOT NULL DEFAULT '[]',
	-- [{"cpe"} | {"name"}, optional "version_min", "version_max"]
	products TEXT NOT NULL DEFAULT '[]',
	iocs TEXT NOT NULL DEFAULT '[]',
	description TEXT NOT NULL DEFAULT '',
	required_action TEXT NOT NULL DEFAULT '',
	due_on TEXT NOT NULL DEFAULT '',
	issued_by INTEGER REFERENCES users(id),
	created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX warnings_external ON warnings(source, external_id);

CREATE TABLE warning_targets (
	id INTEGER PRIMARY KEY,
	warning_id INTEGER NOT NULL REFERENCES warnings(id),
	system_id INTEGER NOT NULL REFERENCES systems(id),
	-- open, acknowledged, fixed, not_affected, accepted_risk
	state TEXT NOT NULL DEFAULT 'open',
	-- yes or possibly (a component without a version)
	match TEXT NOT NULL,
	match_reason TEXT NOT NULL DEFAULT '',
	note TEXT NOT NULL DEFAULT '',
	evidence TEXT NOT NULL DEFAULT '',
	acknowledged_at INTEGER,
	resolved_at INTEGER,
	updated_by INTEGER REFERENCES users(id),
	created_at INTEGER NOT NULL,
	UNIQUE (warning_id, system_id)
);
CREATE INDEX warning_targets_system ON warning_targets(system_id);
