-- Schema version 1, in SQL that SQLite and PostgreSQL both accept: TEXT and BIGINT columns,
-- booleans as BIGINT 0/1, timestamps as ISO-8601 TEXT. A database made by the builds before Flyway
-- (a schema_version table holding 1) has exactly these tables and is baselined at version 1.
-- The group display-name index is made by the store at every start: its uniqueness is configuration.

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  user_name TEXT NOT NULL,
  -- userName is unique case-insensitively (RFC 7643 §4.1.1: caseExact false, uniqueness server):
  -- the store writes userName lower-cased here, and the constraint holds across every receiver.
  user_name_lower TEXT NOT NULL UNIQUE,
  external_id TEXT,
  active BIGINT NOT NULL,
  version BIGINT NOT NULL,
  created TEXT NOT NULL,
  last_modified TEXT NOT NULL,
  resource TEXT NOT NULL);

CREATE INDEX users_external_id ON users (external_id);

CREATE TABLE groups (
  id TEXT PRIMARY KEY,
  display_name TEXT NOT NULL,
  display_name_lower TEXT NOT NULL,
  external_id TEXT,
  version BIGINT NOT NULL,
  created TEXT NOT NULL,
  last_modified TEXT NOT NULL,
  resource TEXT NOT NULL);

CREATE INDEX groups_external_id ON groups (external_id);

CREATE TABLE group_members (
  group_id TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  member_id TEXT NOT NULL,
  member_type TEXT NOT NULL,
  PRIMARY KEY (group_id, member_id));

CREATE INDEX group_members_member ON group_members (member_id);

CREATE TABLE change_log (
  version BIGINT PRIMARY KEY,
  committed_at TEXT NOT NULL,
  events TEXT NOT NULL);
