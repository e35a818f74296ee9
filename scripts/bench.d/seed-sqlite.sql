-- Bulk seed for the benchmark on SQLite: citizens, one clerk per department, cases spread over every
-- matter, their timeline events and notifications. Run on a freshly migrated database with the
-- server stopped, with the parameters @cases, @citizens and @now (seconds since 1970) set
-- (sqlite3 -cmd '.parameter set @cases 1000000' ...).
-- Representations copied from rows the app writes itself: UUIDs as upper-case text, dates as REAL
-- seconds since 1970, array fields as JSON text, civil days as 'YYYY-MM-DD' (Asia/Shanghai).
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -1048576;
BEGIN;
CREATE TEMP TABLE p AS SELECT CAST(@cases AS INTEGER) AS cases, CAST(@citizens AS INTEGER) AS citizens, CAST(@now AS REAL) AS now;

-- A version-4-shaped UUID from 16 random bytes, as Foundation prints it.
CREATE TEMP VIEW uuid AS SELECT
  substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-' ||
  substr('89AB', 1 + (abs(random()) % 4), 1) || substr(h, 18, 3) || '-' || substr(h, 21, 12) AS v
  FROM (SELECT hex(randomblob(16)) AS h);

CREATE TEMP TABLE m AS
  SELECT row_number() OVER (ORDER BY code) AS i, id, department_id, time_limit_days AS limit_days FROM matters;
CREATE TEMP TABLE mc AS SELECT count(*) AS c FROM m;

-- One clerk per department; assignee of the cases the office has taken up.
CREATE TEMP TABLE clerks(department_id TEXT PRIMARY KEY, id TEXT NOT NULL, code TEXT NOT NULL, tz TEXT NOT NULL);
INSERT INTO clerks SELECT id, (SELECT v FROM uuid WHERE departments.id = departments.id), code, time_zone FROM departments;
INSERT INTO accounts (id, email, display_name, kind, roles, department_id, service_point_id, password_hash,
                      email_confirmed_at, identity_verified_at, locale, time_zone, totp_secret, totp_last_counter,
                      suspended_at, created_at)
  SELECT clerks.id, 'bench.clerk.' || code || '@bench.zeroerrand.invalid', 'Bench clerk ' || code, 'staff', '["clerk"]',
         department_id, NULL, NULL, p.now - 800 * 86400, NULL, 'zh-Hans', tz, 'bench-placeholder', NULL, NULL, p.now - 800 * 86400
  FROM clerks, p;

-- Citizens abroad: all with a confirmed email, seven in ten with a second factor (identity level 2).
CREATE TEMP TABLE cit(n INTEGER PRIMARY KEY, id TEXT NOT NULL);
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s, p WHERE n < p.citizens)
  INSERT INTO cit SELECT n, (SELECT v FROM uuid WHERE n = n) FROM s;
INSERT INTO accounts (id, email, display_name, kind, roles, department_id, service_point_id, password_hash,
                      email_confirmed_at, identity_verified_at, locale, time_zone, totp_secret, totp_last_counter,
                      suspended_at, created_at)
  SELECT cit.id, printf('citizen%06d@bench.zeroerrand.invalid', n), printf('Bench Citizen %06d', n), 'citizen', '[]',
         NULL, NULL, NULL, p.now - 760 * 86400 + n, NULL, CASE WHEN n % 5 = 0 THEN 'en' ELSE 'zh-Hans' END,
         CASE n % 8 WHEN 0 THEN 'Europe/Madrid' WHEN 1 THEN 'America/New_York' WHEN 2 THEN 'Europe/Rome'
                    WHEN 3 THEN 'Europe/Paris' WHEN 4 THEN 'Asia/Tokyo' WHEN 5 THEN 'America/Los_Angeles'
                    WHEN 6 THEN 'Europe/Amsterdam' ELSE 'Australia/Sydney' END,
         CASE WHEN n % 10 < 7 THEN 'bench-placeholder' END, NULL, NULL, p.now - 760 * 86400 + n
  FROM cit, p;

-- Cases over the last 700 days, oldest first. The newest tenth are still open (a realistic backlog);
-- older ones are mostly closed. Each citizen gets the same number of cases; matters are spread evenly.
CREATE TEMP TABLE c(n INTEGER PRIMARY KEY, id TEXT NOT NULL, created REAL NOT NULL, year INTEGER NOT NULL,
                    mi INTEGER NOT NULL, ci INTEGER NOT NULL, status TEXT NOT NULL,
                    seq INTEGER, updated REAL, limit_days INTEGER);
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s, p WHERE n < p.cases),
  g AS (SELECT n, p.now - 7200 - (p.cases - n) * (700.0 * 86400 / p.cases) AS created,
               (n * 2246822519) % 1000003 % 1000 AS r, n > p.cases * 9 / 10 AS recent
        FROM s, p)
  INSERT INTO c (n, id, created, year, mi, ci, status)
  SELECT n, (SELECT v FROM uuid WHERE n = n), created, CAST(strftime('%Y', created + 8 * 3600, 'unixepoch') AS INTEGER),
         (n * 2654435761) % mc.c + 1, (n * 40503) % p.citizens + 1,
         CASE WHEN recent THEN CASE WHEN r < 100 THEN 'draft' WHEN r < 400 THEN 'submitted' WHEN r < 520 THEN 'accepted'
                                    WHEN r < 720 THEN 'in_review' WHEN r < 800 THEN 'supplement_requested'
                                    WHEN r < 840 THEN 'resubmitted' WHEN r < 880 THEN 'not_accepted' WHEN r < 920 THEN 'approved'
                                    WHEN r < 950 THEN 'refused' WHEN r < 980 THEN 'result_issued' ELSE 'withdrawn' END
              ELSE CASE WHEN r < 30 THEN 'draft' WHEN r < 50 THEN 'not_accepted' WHEN r < 90 THEN 'refused'
                        WHEN r < 140 THEN 'withdrawn' WHEN r < 200 THEN 'result_issued' ELSE 'closed' END END
  FROM g, p, mc;
CREATE TEMP TABLE years AS SELECT year, min(n) AS first FROM c GROUP BY year;
UPDATE c SET seq = n - (SELECT first FROM years WHERE years.year = c.year) + 1,
             limit_days = (SELECT limit_days FROM m WHERE m.i = c.mi),
             updated = CASE status WHEN 'draft' THEN created WHEN 'submitted' THEN created + 3600
                         ELSE min((SELECT now FROM p) - 60, created + 3 * 86400 + (SELECT limit_days FROM m WHERE m.i = c.mi) * 43200) END;

INSERT INTO cases (id, number, matter_id, department_id, applicant_id, assignee_id, status, details, limit_days,
                   created_at, submitted_at, accepted_on, due_on, decided_at, provisional_missing, supply_by,
                   supplement_items, supplement_due_by, reminded_at, updated_at)
  SELECT c.id, printf('ZE-%d-%06d', c.year, c.seq), m.id, m.department_id, cit.id,
         CASE WHEN c.status NOT IN ('draft', 'submitted', 'not_accepted', 'withdrawn') OR (c.status = 'submitted' AND c.n % 2 = 0)
              THEN clerks.id END,
         c.status, 'Benchmark case ' || c.n || ': please handle this request for a citizen living abroad.', c.limit_days,
         c.created, CASE WHEN c.status <> 'draft' THEN c.created + 3600 END,
         CASE WHEN c.status IN ('accepted', 'in_review', 'supplement_requested', 'resubmitted', 'approved', 'refused', 'result_issued', 'closed')
              THEN date(c.created + 2 * 86400 + 8 * 3600, 'unixepoch') END,
         CASE WHEN c.status IN ('accepted', 'in_review', 'supplement_requested', 'resubmitted', 'approved', 'refused', 'result_issued', 'closed')
              THEN date(c.created + 2 * 86400 + c.limit_days * 86400 * 7 / 5 + 8 * 3600, 'unixepoch') END,
         CASE WHEN c.status IN ('not_accepted', 'approved', 'refused', 'result_issued', 'closed') THEN c.updated END,
         '[]', NULL,
         CASE WHEN c.status = 'supplement_requested' THEN '["A clearer scan of the passport photo page"]' ELSE '[]' END,
         CASE WHEN c.status = 'supplement_requested' THEN c.updated + 15 * 86400 END,
         -- A running server has already reminded those due within two days (DeadlineReminders).
         CASE WHEN c.status = 'supplement_requested' AND c.updated + 15 * 86400 <= p.now + 2 * 86400 THEN c.updated + 13 * 86400 END,
         c.updated
  FROM p, c JOIN m ON m.i = c.mi JOIN cit ON cit.n = c.ci JOIN clerks ON clerks.department_id = m.department_id
  ORDER BY c.n;

-- The timeline: created, submitted, and the latest action that brought the case to its status.
INSERT INTO case_events (id, case_id, occurred_at, actor_id, kind, name, status_after, note, document_id)
  SELECT (SELECT v FROM uuid WHERE c.n = c.n), c.id, c.created, cit.id, 'action', 'create', 'draft', '', NULL
  FROM c JOIN cit ON cit.n = c.ci;
INSERT INTO case_events (id, case_id, occurred_at, actor_id, kind, name, status_after, note, document_id)
  SELECT (SELECT v FROM uuid WHERE c.n = c.n), c.id, c.created + 3600, cit.id, 'action', 'submit', 'submitted', '', NULL
  FROM c JOIN cit ON cit.n = c.ci WHERE c.status <> 'draft';
CREATE TEMP TABLE last_action(status TEXT PRIMARY KEY, name TEXT NOT NULL, by_office INTEGER NOT NULL);
INSERT INTO last_action VALUES ('accepted', 'accept', 1), ('in_review', 'start_review', 1),
  ('supplement_requested', 'request_supplement', 1), ('resubmitted', 'resubmit', 0), ('not_accepted', 'not_accept', 1),
  ('approved', 'approve', 1), ('refused', 'refuse', 1), ('result_issued', 'issue_result', 1), ('closed', 'close', 1),
  ('withdrawn', 'withdraw', 0);
INSERT INTO case_events (id, case_id, occurred_at, actor_id, kind, name, status_after, note, document_id)
  SELECT (SELECT v FROM uuid WHERE c.n = c.n), c.id, c.updated, CASE WHEN a.by_office THEN clerks.id ELSE cit.id END,
         'action', a.name, c.status, CASE WHEN c.status IN ('refused', 'not_accepted') THEN 'The materials do not support the request.' ELSE '' END, NULL
  FROM c JOIN last_action a ON a.status = c.status JOIN cit ON cit.n = c.ci JOIN m ON m.i = c.mi
       JOIN clerks ON clerks.department_id = m.department_id;

-- Every office action notifies the applicant; notifications older than a month have been read.
INSERT INTO notifications (id, account_id, case_id, key, arguments, created_at, read_at)
  SELECT (SELECT v FROM uuid WHERE c.n = c.n), cit.id, c.id, 'notification.case.' || a.name,
         json_object('number', printf('ZE-%d-%06d', c.year, c.seq), 'note', ''), c.updated,
         CASE WHEN c.updated < p.now - 30 * 86400 THEN c.updated + 86400 END
  FROM c JOIN last_action a ON a.status = c.status AND a.by_office JOIN cit ON cit.n = c.ci, p;

-- The next number the app hands out must follow the seeded ones.
INSERT OR REPLACE INTO case_counters (year, last_sequence) SELECT year, max(seq) FROM c GROUP BY year;
COMMIT;
PRAGMA journal_mode = WAL;
