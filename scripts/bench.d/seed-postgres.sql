-- Bulk seed for the benchmark on PostgreSQL: the same data as seed-sqlite.sql (citizens, one clerk per
-- department, cases over every matter, their timeline events and notifications). Run with psql on a
-- freshly migrated schema with the server stopped: psql -v cases=1000000 -v citizens=50000 -v now=EPOCH.
-- Representations as the app's migrations made them: uuid, timestamptz, bigint[] / text[] arrays,
-- jsonb, civil days as 'YYYY-MM-DD' text (Asia/Shanghai).
\set ON_ERROR_STOP on
SET synchronous_commit = off;
SET work_mem = '256MB';
BEGIN;

CREATE TEMP TABLE p AS SELECT :cases::bigint AS cases, :citizens::bigint AS citizens, :now::double precision AS now;

CREATE TEMP TABLE m AS
  SELECT row_number() OVER (ORDER BY code) AS i, id, department_id, time_limit_days AS limit_days FROM matters;
CREATE TEMP TABLE mc AS SELECT count(*) AS c FROM m;

CREATE TEMP TABLE clerks AS SELECT id AS department_id, gen_random_uuid() AS id, code, time_zone AS tz FROM departments;
INSERT INTO accounts (id, email, display_name, kind, roles, department_id, service_point_id, password_hash,
                      email_confirmed_at, identity_verified_at, locale, time_zone, totp_secret, totp_last_counter,
                      suspended_at, created_at)
  SELECT clerks.id, 'bench.clerk.' || code || '@bench.zeroerrand.invalid', 'Bench clerk ' || code, 'staff', '{clerk}',
         department_id, NULL, NULL, to_timestamp(p.now - 800 * 86400), NULL, 'zh-Hans', tz, 'bench-placeholder', NULL, NULL,
         to_timestamp(p.now - 800 * 86400)
  FROM clerks, p;

CREATE TEMP TABLE cit AS SELECT n, gen_random_uuid() AS id FROM p, generate_series(1, p.citizens) AS n;
ALTER TABLE cit ADD PRIMARY KEY (n);
INSERT INTO accounts (id, email, display_name, kind, roles, department_id, service_point_id, password_hash,
                      email_confirmed_at, identity_verified_at, locale, time_zone, totp_secret, totp_last_counter,
                      suspended_at, created_at)
  SELECT cit.id, format('citizen%s@bench.zeroerrand.invalid', lpad(n::text, 6, '0')), 'Bench Citizen ' || lpad(n::text, 6, '0'),
         'citizen', '{}', NULL, NULL, NULL, to_timestamp(p.now - 760 * 86400 + n), NULL,
         CASE WHEN n % 5 = 0 THEN 'en' ELSE 'zh-Hans' END,
         CASE n % 8 WHEN 0 THEN 'Europe/Madrid' WHEN 1 THEN 'America/New_York' WHEN 2 THEN 'Europe/Rome'
                    WHEN 3 THEN 'Europe/Paris' WHEN 4 THEN 'Asia/Tokyo' WHEN 5 THEN 'America/Los_Angeles'
                    WHEN 6 THEN 'Europe/Amsterdam' ELSE 'Australia/Sydney' END,
         CASE WHEN n % 10 < 7 THEN 'bench-placeholder' END, NULL, NULL, to_timestamp(p.now - 760 * 86400 + n)
  FROM cit, p;

CREATE TEMP TABLE c AS
  WITH g AS (SELECT n, p.now - 7200 - (p.cases - n) * (700.0 * 86400 / p.cases) AS created,
                    (n * 2246822519) % 1000003 % 1000 AS r, n > p.cases * 9 / 10 AS recent
             FROM p, generate_series(1, p.cases) AS n)
  SELECT n, gen_random_uuid() AS id, created,
         extract(year FROM to_timestamp(created) AT TIME ZONE 'Asia/Shanghai')::int AS year,
         (n * 2654435761) % mc.c + 1 AS mi, (n * 40503) % p.citizens + 1 AS ci,
         CASE WHEN recent THEN CASE WHEN r < 100 THEN 'draft' WHEN r < 400 THEN 'submitted' WHEN r < 520 THEN 'accepted'
                                    WHEN r < 720 THEN 'in_review' WHEN r < 800 THEN 'supplement_requested'
                                    WHEN r < 840 THEN 'resubmitted' WHEN r < 880 THEN 'not_accepted' WHEN r < 920 THEN 'approved'
                                    WHEN r < 950 THEN 'refused' WHEN r < 980 THEN 'result_issued' ELSE 'withdrawn' END
              ELSE CASE WHEN r < 30 THEN 'draft' WHEN r < 50 THEN 'not_accepted' WHEN r < 90 THEN 'refused'
                        WHEN r < 140 THEN 'withdrawn' WHEN r < 200 THEN 'result_issued' ELSE 'closed' END END AS status,
         0::bigint AS seq, 0::double precision AS updated, 0::bigint AS limit_days
  FROM g, p, mc;
CREATE TEMP TABLE years AS SELECT year, min(n) AS first FROM c GROUP BY year;
UPDATE c SET seq = c.n - years.first + 1, limit_days = m.limit_days,
             updated = CASE c.status WHEN 'draft' THEN c.created WHEN 'submitted' THEN c.created + 3600
                         ELSE least(p.now - 60, c.created + 3 * 86400 + m.limit_days * 43200) END
  FROM years, m, p WHERE years.year = c.year AND m.i = c.mi;
ANALYZE c;

INSERT INTO cases (id, number, matter_id, department_id, applicant_id, assignee_id, status, details, limit_days,
                   created_at, submitted_at, accepted_on, due_on, decided_at, provisional_missing, supply_by,
                   supplement_items, supplement_due_by, reminded_at, updated_at)
  SELECT c.id, format('ZE-%s-%s', c.year, lpad(c.seq::text, 6, '0')), m.id, m.department_id, cit.id,
         CASE WHEN c.status NOT IN ('draft', 'submitted', 'not_accepted', 'withdrawn') OR (c.status = 'submitted' AND c.n % 2 = 0)
              THEN clerks.id END,
         c.status, 'Benchmark case ' || c.n || ': please handle this request for a citizen living abroad.', c.limit_days,
         to_timestamp(c.created), CASE WHEN c.status <> 'draft' THEN to_timestamp(c.created + 3600) END,
         CASE WHEN c.status IN ('accepted', 'in_review', 'supplement_requested', 'resubmitted', 'approved', 'refused', 'result_issued', 'closed')
              THEN to_char(to_timestamp(c.created + 2 * 86400) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') END,
         CASE WHEN c.status IN ('accepted', 'in_review', 'supplement_requested', 'resubmitted', 'approved', 'refused', 'result_issued', 'closed')
              THEN to_char(to_timestamp(c.created + 2 * 86400 + c.limit_days * 86400 * 7 / 5) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') END,
         CASE WHEN c.status IN ('not_accepted', 'approved', 'refused', 'result_issued', 'closed') THEN to_timestamp(c.updated) END,
         '{}'::bigint[], NULL,
         CASE WHEN c.status = 'supplement_requested' THEN ARRAY['A clearer scan of the passport photo page'] ELSE '{}'::text[] END,
         CASE WHEN c.status = 'supplement_requested' THEN to_timestamp(c.updated + 15 * 86400) END,
         -- A running server has already reminded those due within two days (DeadlineReminders).
         CASE WHEN c.status = 'supplement_requested' AND c.updated + 15 * 86400 <= p.now + 2 * 86400 THEN to_timestamp(c.updated + 13 * 86400) END,
         to_timestamp(c.updated)
  FROM p, c JOIN m ON m.i = c.mi JOIN cit ON cit.n = c.ci JOIN clerks ON clerks.department_id = m.department_id
  ORDER BY c.n;

INSERT INTO case_events (id, case_id, occurred_at, actor_id, kind, name, status_after, note, document_id)
  SELECT gen_random_uuid(), c.id, to_timestamp(c.created), cit.id, 'action', 'create', 'draft', '', NULL
  FROM c JOIN cit ON cit.n = c.ci;
INSERT INTO case_events (id, case_id, occurred_at, actor_id, kind, name, status_after, note, document_id)
  SELECT gen_random_uuid(), c.id, to_timestamp(c.created + 3600), cit.id, 'action', 'submit', 'submitted', '', NULL
  FROM c JOIN cit ON cit.n = c.ci WHERE c.status <> 'draft';
CREATE TEMP TABLE last_action(status text PRIMARY KEY, name text NOT NULL, by_office boolean NOT NULL);
INSERT INTO last_action VALUES ('accepted', 'accept', true), ('in_review', 'start_review', true),
  ('supplement_requested', 'request_supplement', true), ('resubmitted', 'resubmit', false), ('not_accepted', 'not_accept', true),
  ('approved', 'approve', true), ('refused', 'refuse', true), ('result_issued', 'issue_result', true), ('closed', 'close', true),
  ('withdrawn', 'withdraw', false);
INSERT INTO case_events (id, case_id, occurred_at, actor_id, kind, name, status_after, note, document_id)
  SELECT gen_random_uuid(), c.id, to_timestamp(c.updated), CASE WHEN a.by_office THEN clerks.id ELSE cit.id END,
         'action', a.name, c.status, CASE WHEN c.status IN ('refused', 'not_accepted') THEN 'The materials do not support the request.' ELSE '' END, NULL
  FROM c JOIN last_action a ON a.status = c.status JOIN cit ON cit.n = c.ci JOIN m ON m.i = c.mi
       JOIN clerks ON clerks.department_id = m.department_id;

INSERT INTO notifications (id, account_id, case_id, key, arguments, created_at, read_at)
  SELECT gen_random_uuid(), cit.id, c.id, 'notification.case.' || a.name,
         jsonb_build_object('number', format('ZE-%s-%s', c.year, lpad(c.seq::text, 6, '0')), 'note', ''), to_timestamp(c.updated),
         CASE WHEN c.updated < p.now - 30 * 86400 THEN to_timestamp(c.updated + 86400) END
  FROM c JOIN last_action a ON a.status = c.status AND a.by_office JOIN cit ON cit.n = c.ci, p;

INSERT INTO case_counters (year, last_sequence) SELECT year, max(seq) FROM c GROUP BY year
  ON CONFLICT (year) DO UPDATE SET last_sequence = excluded.last_sequence;
COMMIT;
-- What autovacuum would do within a minute of a bulk load; without it the first plans are guesses.
VACUUM ANALYZE accounts, cases, case_events, notifications, case_counters;
