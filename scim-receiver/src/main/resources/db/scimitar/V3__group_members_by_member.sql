-- The feed's snapshot sends each user with the ids of its groups (docs/feed.md), so it reads a
-- user's memberships by member id. This index answers that read by itself (member_type and
-- group_id included) and serves every lookup the old (member_id) index did, which it replaces.
CREATE INDEX group_members_by_member ON group_members (member_id, member_type, group_id);
DROP INDEX group_members_member;
