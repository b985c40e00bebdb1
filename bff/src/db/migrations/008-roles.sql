-- A login started inside a host app's iframe (`/auth/login?embed=1`): its cookies must be
-- SameSite=None to reach us from within the frame.
alter table login_states add column embed boolean not null default false;
