-- 0018: drills (diễn tập) of a system: planned, then done (with findings
-- and lessons learned) or cancelled; linked to the plan version exercised.
CREATE TABLE drills (
	id INTEGER PRIMARY KEY,
	system_id INTEGER NOT NULL REFERENCES systems(id),
	plan_id INTEGER REFERENCES response_plans(id),
	plan_version INTEGER,
	title TEXT NOT NULL,
	-- tabletop, live_fire
	kind TEXT NOT NULL,
	-- planned, done, cancelled
	status TEXT NOT NULL DEFAULT 'planned',
	scenario_code TEXT NOT NULL DEFAULT '',
	planned_on TEXT NOT NULL DEFAULT '',
	held_on TEXT,
	participants TEXT NOT NULL DEFAULT '[]',
	findings TEXT NOT NULL DEFAULT '[]',
	lessons_learned TEXT NOT NULL DEFAULT '',
	notes TEXT NOT NULL DEFAULT '',
	cancel_reason TEXT NOT NULL DEFAULT '',
	created_by INTEGER REFERENCES users(id),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX drills_system ON drills(system_id);
