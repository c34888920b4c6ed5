-- 0019: suppliers and service providers of a system (third-party and
-- supply-chain risk): contract, contact, what they operate or can reach.
CREATE TABLE suppliers (
	id INTEGER PRIMARY KEY,
	system_id INTEGER NOT NULL REFERENCES systems(id),
	name TEXT NOT NULL,
	role TEXT NOT NULL DEFAULT 'other',
	contract_no TEXT NOT NULL DEFAULT '',
	contract_start TEXT NOT NULL DEFAULT '',
	-- YYYY-MM-DD or '': the expiring filter compares it as text
	contract_end TEXT NOT NULL DEFAULT '',
	contact_name TEXT NOT NULL DEFAULT '',
	contact_phone TEXT NOT NULL DEFAULT '',
	contact_email TEXT NOT NULL DEFAULT '',
	operates TEXT NOT NULL DEFAULT '',
	notes TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX suppliers_system ON suppliers(system_id);
