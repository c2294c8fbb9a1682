-- The snapshot reads every membership sorted by group and member, with its type. The primary key
-- (group_id, member_id) orders them but does not hold member_type, so each of 2,000,000 rows cost
-- a table lookup (5.9 s in SQLite); this index answers the whole read by itself (0.6 s).
-- benchmarks/RESULTS.md, "Snapshot scale".
CREATE INDEX group_members_snapshot ON group_members (group_id, member_id, member_type);
