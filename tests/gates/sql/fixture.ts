// The database the sql tests run against: the seeds' hardening check, an ACL scan, security events.
/** The seed's ACL scan (wien-pilot runbook §4.2), word for word. */
export const ACL_SCAN = `
SELECT
    nspname AS schema,
    relname AS table,
    array_agg(privilege_type) AS public_grants
FROM information_schema.role_table_grants
JOIN pg_class ON relname = table_name
JOIN pg_namespace ON pg_namespace.oid = relnamespace
WHERE grantee = 'PUBLIC'
  AND nspname NOT IN ('pg_catalog', 'information_schema')
GROUP BY nspname, relname;
`

export const FIXTURE = [
  'CREATE SCHEMA app',
  'CREATE SCHEMA core',
  'CREATE TABLE app.accounts (id int PRIMARY KEY, owner text NOT NULL, available int NOT NULL, held int NOT NULL)',
  "INSERT INTO app.accounts VALUES (1, 'alice', 100, 0), (2, 'bob', 50, 10)",
  'CREATE SEQUENCE app.tx_seq',
  'CREATE TABLE app.hardening (check_name text, status text, details text)',
  `INSERT INTO app.hardening VALUES
     ('rls_on_tenants', 'PASS', 'RLS enabled'), ('search_path_pinned', 'PASS', 'pinned'),
     ('least_privilege', 'PASS', 'ok'), ('definer_owner', 'PASS', 'dedicated role'), ('acl_fix', 'PASS', 'no PUBLIC grants')`,
  `CREATE FUNCTION verify_final_hardening() RETURNS TABLE (check_name text, status text, details text)
     LANGUAGE sql STABLE AS $$ SELECT check_name, status, details FROM app.hardening ORDER BY check_name $$`,
  `CREATE FUNCTION app.drain() RETURNS int LANGUAGE plpgsql AS $$ BEGIN UPDATE app.accounts SET available = 0; RETURN 1; END $$`,
  'CREATE TABLE core.security_events (event_type text, severity text, created_at timestamptz)',
  `INSERT INTO core.security_events VALUES ('LOGIN_FAILED', 'S2', now() - interval '10 minutes'),
     ('LOGIN_FAILED', 'S2', now() - interval '20 minutes'), ('RATE_LIMIT', 'S3', now() - interval '5 minutes'),
     ('REPLAY_ATTACK', 'S0', now() - interval '3 hours')`,
  'GRANT SELECT ON app.accounts TO PUBLIC',
]
