-- 0002: the review step (Art 11 step 4, Decision 05 Art 14 step 5): root
-- cause, attribution and lessons learned, and the estimated damage that
-- Form 05 sums per incident type.
ALTER TABLE incidents ADD COLUMN root_cause TEXT NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN lessons_learned TEXT NOT NULL DEFAULT '';
-- {"target","ttps","malware","attack_time","damage","attacker","recurrence"}
ALTER TABLE incidents ADD COLUMN attribution TEXT NOT NULL DEFAULT '{}';
ALTER TABLE incidents ADD COLUMN estimated_damage TEXT NOT NULL DEFAULT '';
