-- 0017: response plans (phương án ứng cứu sự cố) per information system,
-- versioned: each new draft takes the system's next version number; one
-- approved version at a time, the one it replaces becomes superseded.
-- Scenarios are a JSON list keyed to the taxonomy (DOMAIN.md §10).
CREATE TABLE response_plans (
	id INTEGER PRIMARY KEY,
	system_id INTEGER NOT NULL REFERENCES systems(id),
	version INTEGER NOT NULL,
	title TEXT NOT NULL,
	-- draft, approved, superseded
	status TEXT NOT NULL DEFAULT 'draft',
	scenarios TEXT NOT NULL DEFAULT '[]',
	resources TEXT NOT NULL DEFAULT '',
	estimated_budget INTEGER NOT NULL DEFAULT 0,
	notes TEXT NOT NULL DEFAULT '',
	approved_by INTEGER REFERENCES users(id),
	approved_at INTEGER,
	approved_on TEXT,
	approval_note TEXT NOT NULL DEFAULT '',
	reviewed_on TEXT,
	review_note TEXT NOT NULL DEFAULT '',
	created_by INTEGER REFERENCES users(id),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	UNIQUE (system_id, version)
);
