-- 0040_token_expiry.sql: API tokens expire, and carry a recognisable prefix.
--
-- expires_at: when the token stops working; null means never (a service token made on purpose
--   with `landinv token create NAME --expires never`). Tokens made before this migration keep
--   working (null): `landinv token list` shows them as "never", and an administrator revokes
--   and replaces them.
-- prefix: the token's first characters ("li_" and five more), shown by `landinv token list` so
--   that a user can tell their tokens apart; never enough to use or guess the token. Null for
--   tokens made before this migration.
-- last_used_at is now written at most once per few minutes per token (see Authenticate).
alter table api_tokens
  add column expires_at timestamptz,
  add column prefix text check (prefix ~ '^li_[A-Za-z0-9_-]{1,8}$'),
  add constraint api_tokens_expires_after_created check (expires_at > created_at);

create index api_tokens_user_id_idx on api_tokens (user_id);
