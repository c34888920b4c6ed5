-- 0003: proactive activities recorded per information system: the
-- vulnerability scans and threat hunts Directive 18/CT-TTg asks for at
-- least every 6 months, drills, assessments, level approvals. The
-- obligations engine reads the latest of each kind to set the next due date.
CREATE TABLE activities (
	id INTEGER PRIMARY KEY,
	system_id INTEGER NOT NULL REFERENCES systems(id),
	-- vuln_scan, threat_hunt, drill, assessment, level_approval, response_plan
	kind TEXT NOT NULL,
	performed_at INTEGER NOT NULL,
	summary TEXT NOT NULL DEFAULT '',
	-- counts and details the engine reported (hits by level, findings...)
	result TEXT NOT NULL DEFAULT '{}',
	recorded_by INTEGER REFERENCES users(id),
	created_at INTEGER NOT NULL
);
CREATE INDEX activities_system ON activities(system_id, kind, performed_at);
