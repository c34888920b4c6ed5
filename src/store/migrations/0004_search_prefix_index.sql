-- 0004: prefix indexes for full-text search, so that the word being typed
-- ("giao di" -> "giao" "di"*) is looked up without scanning every term.
CREATE VIRTUAL TABLE incidents_fts_new USING fts5(text, tokenize = 'unicode61 remove_diacritics 2',
	prefix = '2 3');
INSERT INTO incidents_fts_new (rowid, text) SELECT rowid, text FROM incidents_fts;
DROP TABLE incidents_fts;
ALTER TABLE incidents_fts_new RENAME TO incidents_fts;
