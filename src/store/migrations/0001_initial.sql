-- 0001: organisations, people and accounts, the response team, information
-- systems, incidents and everything below them, alerts, the audit chain.
-- Times are INTEGER seconds since the epoch (UTC); lists are JSON arrays in TEXT.

CREATE TABLE orgs (
	id INTEGER PRIMARY KEY,
	parent_id INTEGER REFERENCES orgs(id),
	name TEXT NOT NULL,
	short_name TEXT NOT NULL DEFAULT '',
	-- province, department, district, commune, unit, enterprise, central, other
	type TEXT NOT NULL DEFAULT 'unit',
	address TEXT NOT NULL DEFAULT '',
	phone TEXT NOT NULL DEFAULT '',
	email TEXT NOT NULL DEFAULT '',
	-- incident contact point (đầu mối ứng cứu sự cố), CT 18 item 9
	contact_hotline TEXT NOT NULL DEFAULT '',
	contact_email TEXT NOT NULL DEFAULT '',
	contact_web TEXT NOT NULL DEFAULT '',
	contact_published_on TEXT NOT NULL DEFAULT '',
	member_code TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX orgs_parent ON orgs(parent_id);

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	org_id INTEGER REFERENCES orgs(id),
	username TEXT NOT NULL UNIQUE,
	full_name TEXT NOT NULL DEFAULT '',
	email TEXT NOT NULL DEFAULT '',
	phone TEXT NOT NULL DEFAULT '',
	position TEXT NOT NULL DEFAULT '',
	-- admin, coordinator, responder, unit_officer, auditor
	role TEXT NOT NULL,
	password_hash TEXT NOT NULL DEFAULT '',
	must_change_password INTEGER NOT NULL DEFAULT 0,
	disabled INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);

CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id),
	csrf_token TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
);

CREATE TABLE api_tokens (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id),
	name TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	created_at INTEGER NOT NULL,
	last_used_at INTEGER,
	revoked INTEGER NOT NULL DEFAULT 0
);

-- Đội ứng cứu sự cố: one team per installation, with its establishing decision.
CREATE TABLE team (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	name TEXT NOT NULL,
	decision_no TEXT NOT NULL DEFAULT '',
	decision_date TEXT NOT NULL DEFAULT '',
	secretariat_org_id INTEGER REFERENCES orgs(id),
	updated_at INTEGER NOT NULL
);

CREATE TABLE team_members (
	id INTEGER PRIMARY KEY,
	user_id INTEGER REFERENCES users(id),
	org_id INTEGER REFERENCES orgs(id),
	full_name TEXT NOT NULL,
	position TEXT NOT NULL DEFAULT '',
	role_in_team TEXT NOT NULL DEFAULT 'member',
	-- expert groups of Forms 01/02 as a JSON array of codes
	expertise TEXT NOT NULL DEFAULT '[]',
	certificates TEXT NOT NULL DEFAULT '',
	phone TEXT NOT NULL DEFAULT '',
	email TEXT NOT NULL DEFAULT '',
	is_primary_contact INTEGER NOT NULL DEFAULT 0,
	pgp_fingerprint TEXT NOT NULL DEFAULT '',
	joined_on TEXT NOT NULL DEFAULT '',
	left_on TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);

CREATE TABLE systems (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	owner_org_id INTEGER NOT NULL REFERENCES orgs(id),
	operator_org_id INTEGER NOT NULL REFERENCES orgs(id),
	-- 0 = not yet classified, 1..5 = approved security level
	level INTEGER NOT NULL DEFAULT 0 CHECK (level BETWEEN 0 AND 5),
	system_type TEXT NOT NULL DEFAULT 'other',
	description TEXT NOT NULL DEFAULT '',
	national_critical INTEGER NOT NULL DEFAULT 0,
	public_ips TEXT NOT NULL DEFAULT '[]',
	domains TEXT NOT NULL DEFAULT '[]',
	-- [{"name","version","cpe"}]
	components TEXT NOT NULL DEFAULT '[]',
	os TEXT NOT NULL DEFAULT '',
	services TEXT NOT NULL DEFAULT '[]',
	isp TEXT NOT NULL DEFAULT '',
	security_provider TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX systems_owner ON systems(owner_org_id);
CREATE INDEX systems_operator ON systems(operator_org_id);

CREATE TABLE incidents (
	id INTEGER PRIMARY KEY,
	tracking_code TEXT NOT NULL UNIQUE,
	title TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	-- the organisation the incident belongs to (tenant scope)
	org_id INTEGER REFERENCES orgs(id),
	-- api, public, email, alert
	source TEXT NOT NULL,
	step TEXT NOT NULL DEFAULT '1a',
	status TEXT NOT NULL DEFAULT 'open',
	severity TEXT NOT NULL DEFAULT 'unclassified',
	serious_criteria TEXT NOT NULL DEFAULT '[]',
	taxonomy_code TEXT NOT NULL DEFAULT '',
	rulepack TEXT NOT NULL DEFAULT '',
	detected_at INTEGER NOT NULL,
	reported_at INTEGER NOT NULL,
	response_ended_at INTEGER,
	closed_at INTEGER,
	-- Form 03 and Decision 05 Art 11.4
	reporter_org TEXT NOT NULL DEFAULT '',
	reporter_address TEXT NOT NULL DEFAULT '',
	reporter_phone TEXT NOT NULL DEFAULT '',
	reporter_email TEXT NOT NULL DEFAULT '',
	contact_name TEXT NOT NULL DEFAULT '',
	contact_position TEXT NOT NULL DEFAULT '',
	contact_phone TEXT NOT NULL DEFAULT '',
	contact_email TEXT NOT NULL DEFAULT '',
	operator_name TEXT NOT NULL DEFAULT '',
	owner_name TEXT NOT NULL DEFAULT '',
	system_name TEXT NOT NULL DEFAULT '',
	system_level INTEGER NOT NULL DEFAULT 0,
	isp TEXT NOT NULL DEFAULT '',
	security_provider TEXT NOT NULL DEFAULT '',
	handled_status TEXT NOT NULL DEFAULT 'not_handled',
	detection_methods TEXT NOT NULL DEFAULT '[]',
	notified TEXT NOT NULL DEFAULT '[]',
	os TEXT NOT NULL DEFAULT '',
	services TEXT NOT NULL DEFAULT '[]',
	security_measures TEXT NOT NULL DEFAULT '[]',
	public_ips TEXT NOT NULL DEFAULT '[]',
	domains TEXT NOT NULL DEFAULT '[]',
	purpose TEXT NOT NULL DEFAULT '',
	attachments_kind TEXT NOT NULL DEFAULT '[]',
	confidential INTEGER NOT NULL DEFAULT 0,
	recommendations TEXT NOT NULL DEFAULT '',
	spread TEXT NOT NULL DEFAULT '',
	impact TEXT NOT NULL DEFAULT '',
	measures_taken TEXT NOT NULL DEFAULT '',
	supporters TEXT NOT NULL DEFAULT '[]',
	initial_result TEXT NOT NULL DEFAULT '',
	beyond_capacity INTEGER NOT NULL DEFAULT 0,
	national_security_signs INTEGER NOT NULL DEFAULT 0,
	personal_data INTEGER NOT NULL DEFAULT 0,
	-- Form 04 (closure report) as a JSON object
	closure TEXT NOT NULL DEFAULT '{}',
	created_by INTEGER REFERENCES users(id),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX incidents_org ON incidents(org_id, id);
CREATE INDEX incidents_step ON incidents(step, id);
CREATE INDEX incidents_status ON incidents(status, id);
CREATE INDEX incidents_severity ON incidents(severity, id);
CREATE INDEX incidents_detected ON incidents(detected_at);

-- Full-text search over incidents. The text is folded (no diacritics, lower
-- case, đ -> d) by csirt before it is written, because unicode61 does not
-- fold the Vietnamese đ; the same folding is applied to queries.
CREATE VIRTUAL TABLE incidents_fts USING fts5(text, tokenize = 'unicode61 remove_diacritics 2');

CREATE TABLE incident_systems (
	incident_id INTEGER NOT NULL REFERENCES incidents(id),
	system_id INTEGER NOT NULL REFERENCES systems(id),
	PRIMARY KEY (incident_id, system_id)
);
CREATE INDEX incident_systems_system ON incident_systems(system_id);

CREATE TABLE transitions (
	id INTEGER PRIMARY KEY,
	incident_id INTEGER NOT NULL REFERENCES incidents(id),
	from_step TEXT NOT NULL,
	to_step TEXT NOT NULL,
	at INTEGER NOT NULL,
	actor_id INTEGER REFERENCES users(id),
	reason TEXT NOT NULL
);
CREATE INDEX transitions_incident ON transitions(incident_id, id);

CREATE TABLE deadlines (
	id INTEGER PRIMARY KEY,
	incident_id INTEGER NOT NULL REFERENCES incidents(id),
	rule_id TEXT NOT NULL,
	rulepack TEXT NOT NULL,
	label_vi TEXT NOT NULL,
	label_en TEXT NOT NULL,
	recipient TEXT NOT NULL DEFAULT '',
	source TEXT NOT NULL,
	confidence TEXT NOT NULL,
	-- NULL when the law sets no limit or the calendar is unknown
	due_at INTEGER,
	-- open, met, overdue, undefined, unknown
	status TEXT NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	met_at INTEGER,
	UNIQUE (incident_id, rule_id)
);
CREATE INDEX deadlines_due ON deadlines(status, due_at);

CREATE TABLE tasks (
	id INTEGER PRIMARY KEY,
	incident_id INTEGER NOT NULL REFERENCES incidents(id),
	title TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	assignee_id INTEGER REFERENCES users(id),
	due_at INTEGER,
	status TEXT NOT NULL DEFAULT 'open',
	created_by INTEGER REFERENCES users(id),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX tasks_incident ON tasks(incident_id);

CREATE TABLE comments (
	id INTEGER PRIMARY KEY,
	incident_id INTEGER NOT NULL REFERENCES incidents(id),
	author_id INTEGER REFERENCES users(id),
	body TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX comments_incident ON comments(incident_id);

CREATE TABLE observables (
	id INTEGER PRIMARY KEY,
	type TEXT NOT NULL,
	value TEXT NOT NULL,
	first_seen INTEGER NOT NULL,
	UNIQUE (type, value)
);

CREATE TABLE incident_observables (
	incident_id INTEGER NOT NULL REFERENCES incidents(id),
	observable_id INTEGER NOT NULL REFERENCES observables(id),
	added_at INTEGER NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (incident_id, observable_id)
);
CREATE INDEX incident_observables_obs ON incident_observables(observable_id);

-- Evidence files live on disk under evidence/<sha256>; this is the index.
CREATE TABLE evidence (
	id INTEGER PRIMARY KEY,
	incident_id INTEGER NOT NULL REFERENCES incidents(id),
	sha256 TEXT NOT NULL,
	filename TEXT NOT NULL,
	size INTEGER NOT NULL,
	content_type TEXT NOT NULL DEFAULT 'application/octet-stream',
	description TEXT NOT NULL DEFAULT '',
	added_by INTEGER REFERENCES users(id),
	added_at INTEGER NOT NULL
);
CREATE INDEX evidence_incident ON evidence(incident_id);

-- Chain of custody: every hand-over of an evidence item.
CREATE TABLE custody (
	id INTEGER PRIMARY KEY,
	evidence_id INTEGER NOT NULL REFERENCES evidence(id),
	at INTEGER NOT NULL,
	actor_id INTEGER REFERENCES users(id),
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX custody_evidence ON custody(evidence_id);

CREATE TABLE alerts (
	id INTEGER PRIMARY KEY,
	source TEXT NOT NULL,
	title TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	severity TEXT NOT NULL DEFAULT 'medium',
	rule_id TEXT NOT NULL DEFAULT '',
	dedup_key TEXT NOT NULL DEFAULT '',
	host TEXT NOT NULL DEFAULT '',
	system_id INTEGER REFERENCES systems(id),
	org_id INTEGER REFERENCES orgs(id),
	raw TEXT NOT NULL DEFAULT '{}',
	-- open, merged, promoted, dismissed
	status TEXT NOT NULL DEFAULT 'open',
	merged_into INTEGER REFERENCES alerts(id),
	incident_id INTEGER REFERENCES incidents(id),
	count INTEGER NOT NULL DEFAULT 1,
	first_seen INTEGER NOT NULL,
	last_seen INTEGER NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX alerts_status ON alerts(status, id);
CREATE INDEX alerts_dedup ON alerts(dedup_key, last_seen);

CREATE TABLE alert_observables (
	alert_id INTEGER NOT NULL REFERENCES alerts(id),
	observable_id INTEGER NOT NULL REFERENCES observables(id),
	PRIMARY KEY (alert_id, observable_id)
);
CREATE INDEX alert_observables_obs ON alert_observables(observable_id);

-- Append-only, hash-chained audit log. Each row's hash covers the previous
-- row's hash, so editing or deleting a row breaks the chain from there on.
CREATE TABLE audit (
	id INTEGER PRIMARY KEY,
	at INTEGER NOT NULL,
	actor_id INTEGER,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	entity TEXT NOT NULL,
	entity_id INTEGER,
	before TEXT NOT NULL DEFAULT 'null',
	after TEXT NOT NULL DEFAULT 'null',
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
