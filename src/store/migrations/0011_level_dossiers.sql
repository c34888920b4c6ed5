-- 0011: level dossiers (hồ sơ đề xuất cấp độ, NĐ 85/2016 Art 14-17, NĐ
-- 331/2026 Art 20-24): one row per proposal for a system, with the step it
-- is at, when that step began and the due date of the step's time limit
-- under the regime in force that day; every step taken is kept.
CREATE TABLE level_dossiers (
	id INTEGER PRIMARY KEY,
	system_id INTEGER NOT NULL REFERENCES systems(id),
	proposed_level INTEGER NOT NULL CHECK (proposed_level BETWEEN 1 AND 5),
	-- why the level: the criteria of NĐ 85 Art 7-11 / NĐ 331 Art 11-15
	justification TEXT NOT NULL DEFAULT '',
	criteria TEXT NOT NULL DEFAULT '[]',
	-- draft, submitted, validity_check, appraisal, approval, approved, returned
	state TEXT NOT NULL DEFAULT 'draft',
	state_entered_at INTEGER NOT NULL,
	regime TEXT NOT NULL DEFAULT '',
	due_on TEXT NOT NULL DEFAULT '',
	due_note TEXT NOT NULL DEFAULT '',
	decision_no TEXT NOT NULL DEFAULT '',
	decision_date TEXT NOT NULL DEFAULT '',
	created_by INTEGER REFERENCES users(id),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX level_dossiers_system ON level_dossiers(system_id);

CREATE TABLE level_dossier_steps (
	id INTEGER PRIMARY KEY,
	dossier_id INTEGER NOT NULL REFERENCES level_dossiers(id),
	from_state TEXT NOT NULL,
	to_state TEXT NOT NULL,
	reason TEXT NOT NULL DEFAULT '',
	regime TEXT NOT NULL DEFAULT '',
	due_on TEXT NOT NULL DEFAULT '',
	actor TEXT NOT NULL,
	at INTEGER NOT NULL
);
CREATE INDEX level_dossier_steps_dossier ON level_dossier_steps(dossier_id);
