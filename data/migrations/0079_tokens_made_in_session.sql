-- 0079_tokens_made_in_session.sql: which tokens a person made over HTTP, signed in by password
-- (POST /api/v1/me/tokens), rather than an administrator at the command line, and what for.
--
-- A password change ends the person's sessions (0039); it now also revokes the tokens made in
-- a session, so that someone who held a session for a while (a phished password, an unlocked
-- computer) cannot keep the access through a token after the password is reset. Tokens made
-- at the command line (service accounts, scheduled imports) are left alone: they are an
-- administrator's decision, revoked with `landinv token revoke`.
alter table api_tokens add column made_in_session boolean not null default false;

-- What a token is for, in its owner's words ("办公室电脑 QGIS"), so that tokens can be told apart
-- in the list; optional, one line, at most 60 characters.
alter table api_tokens add column label text
  constraint api_tokens_label_check check (label is null or (char_length(label) >= 1 and char_length(label) <= 60 and label !~ '[[:cntrl:]]'));
