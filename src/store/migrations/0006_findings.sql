-- 0006: vulnerability findings per information system, tracked over time.
-- A finding is identified by (system, component, CVE, port); each scan
-- marks it new, still open, fixed (absent from a later scan) or reopened;
-- accepted risk and false positive are decisions with a reason and who
-- made them.
CREATE TABLE findings (
	id INTEGER PRIMARY KEY,
	system_id INTEGER NOT NULL REFERENCES systems(id),
	component TEXT NOT NULL,
	cve TEXT NOT NULL,
	port INTEGER NOT NULL DEFAULT 0,
	host TEXT NOT NULL DEFAULT '',
	-- confirmed (exact package versions) or potential (from a banner)
	lane TEXT NOT NULL,
	installed TEXT NOT NULL DEFAULT '',
	fixed_version TEXT NOT NULL DEFAULT '',
	cvss REAL,
	kev INTEGER NOT NULL DEFAULT 0,
	kev_due TEXT NOT NULL DEFAULT '',
	epss REAL,
	-- open, fixed, accepted_risk, false_positive
	status TEXT NOT NULL DEFAULT 'open',
	first_seen INTEGER NOT NULL,
	last_seen INTEGER NOT NULL,
	fixed_at INTEGER,
	reopened INTEGER NOT NULL DEFAULT 0,
	decision_reason TEXT NOT NULL DEFAULT '',
	decided_by INTEGER REFERENCES users(id),
	decided_at INTEGER,
	UNIQUE (system_id, component, cve, port)
);
CREATE INDEX findings_status ON findings(status, system_id);
