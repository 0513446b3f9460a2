-- 0046_passwords_sessions.sql: people sign in with a password and stay signed in by a session
-- cookie; programs keep their API tokens. Adds the leadership role.
--
-- users.role gains 'leader' (领导): reads everything, confidential figures and the score
--   included, and writes nothing (inventory.Viewer.SeesConfidential, CanEdit).
-- users.password_hash: an argon2id hash in the PHC string format
--   ($argon2id$v=19$m=…,t=…,p=…$salt$hash, see inventory/password); null: the user has no
--   password and signs in only with tokens (a service account, or one not yet given a password).
-- users.password_set_at: when the password was last set. A session remembers it; setting a new
--   password (or clearing it) ends every session made with the old one.
-- sessions: the session store of github.com/alexedwards/scs (token = the SHA-256 of the cookie's
--   value, data = the encoded session, expiry = when the session ends: the earlier of its idle
--   and absolute deadlines). In the database, so that every process behind a load balancer sees
--   the same sessions.
-- signin_failures: failed sign-ins counted per user and per client over a fixed window, shared
--   by every process (inventory.SignInLimits).
alter table users
  drop constraint users_role_check,
  add constraint users_role_check check (role in ('viewer', 'leader', 'planner', 'admin')),
  add column password_hash text check (password_hash ~ '^\$argon2id\$v=[0-9]+\$m=[0-9]+,t=[0-9]+,p=[0-9]+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$'),
  add column password_set_at timestamptz,
  add constraint users_password_set_at check ((password_hash is null) = (password_set_at is null));

create table sessions (
  token  text primary key check (length(token) between 16 and 128),
  data   bytea not null,
  expiry timestamptz not null
);
create index sessions_expiry_idx on sessions (expiry);

create table signin_failures (
  scope        text not null check (scope in ('user', 'client')),
  key          text not null check (length(key) between 1 and 256),
  window_start timestamptz not null,
  failures     integer not null check (failures > 0),
  primary key (scope, key)
);
create index signin_failures_window_idx on signin_failures (window_start);
