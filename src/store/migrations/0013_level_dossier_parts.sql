-- 0013: the five parts of a level dossier (NĐ 85/2016 Art 15, NĐ 331/2026
-- Art 21): overview, design, justification, security_plan, and for levels
-- 4-5 the specialised unit's opinion. Files are content-addressed under
-- DATA/evidence/<sha256>, like incident evidence; the newest upload of a
-- part is the one that counts, older ones stay as history.
CREATE TABLE level_dossier_parts (
	id INTEGER PRIMARY KEY,
	dossier_id INTEGER NOT NULL REFERENCES level_dossiers(id),
	-- overview, design, justification, security_plan, infosec_opinion
	part TEXT NOT NULL,
	sha256 TEXT NOT NULL,
	size INTEGER NOT NULL,
	filename TEXT NOT NULL,
	content_type TEXT NOT NULL,
	uploaded_by INTEGER REFERENCES users(id),
	created_at INTEGER NOT NULL
);
CREATE INDEX level_dossier_parts_dossier ON level_dossier_parts(dossier_id, part);
