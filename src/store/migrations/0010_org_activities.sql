-- 0010: reports an organisation sends on a schedule, which the obligations
-- engine reads like the activities of a system: the network-member profile
-- (Form 01, yearly), the half-year summary (Form 05, before 20/6 and
-- 15/12) and the annual report on Mẫu 08 (NĐ 331/2026 Art 35: to the owner
-- before 20/12, the owner to the Ministry of Public Security before 25/12).
CREATE TABLE org_activities (
	id INTEGER PRIMARY KEY,
	org_id INTEGER NOT NULL REFERENCES orgs(id),
	-- form01, form05, annual_report, annual_report_mps
	kind TEXT NOT NULL,
	performed_at INTEGER NOT NULL,
	summary TEXT NOT NULL DEFAULT '',
	recorded_by INTEGER REFERENCES users(id),
	created_at INTEGER NOT NULL
);
CREATE INDEX org_activities_org ON org_activities(org_id, kind, performed_at);
