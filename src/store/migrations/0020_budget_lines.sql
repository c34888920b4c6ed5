-- 0020: budget lines (kinh phí) of IT plans and projects with their
-- information-security amount; the required share is rule-pack data.
CREATE TABLE budget_lines (
	id INTEGER PRIMARY KEY,
	org_id INTEGER NOT NULL REFERENCES orgs(id),
	system_id INTEGER REFERENCES systems(id),
	name TEXT NOT NULL,
	year INTEGER NOT NULL,
	total_amount INTEGER NOT NULL CHECK (total_amount > 0),
	security_amount INTEGER NOT NULL DEFAULT 0
	    CHECK (security_amount >= 0 AND security_amount <= total_amount),
	notes TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX budget_lines_org ON budget_lines(org_id, year);
