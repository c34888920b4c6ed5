-- 0014: notifications, in-app and by e-mail: a new warning for the
-- organisations it affects, and the daily digest of obligations due soon
-- or overdue. emailed_at stays NULL until the message was handed to the
-- SMTP server (csirt notify send), so a failed send is retried.
CREATE TABLE notifications (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id),
	-- warning, digest
	kind TEXT NOT NULL,
	title TEXT NOT NULL,
	body TEXT NOT NULL DEFAULT '',
	link TEXT NOT NULL DEFAULT '',
	read_at INTEGER,
	emailed_at INTEGER,
	email_error TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL
);
CREATE INDEX notifications_user ON notifications(user_id, read_at);
CREATE INDEX notifications_unsent ON notifications(emailed_at);
