-- Outbound mail: every e-mail of the app is first written to the outbox in
-- the transaction of the change that causes it, under a unique
-- idempotency key; a sender then delivers it over SMTP. Reminders record
-- which rule was sent to which coop for which campaign; password reset
-- tokens are stored hashed; each AD may set its sender identity.
CREATE TABLE outbox (
    id {{ID}},
    ad_id BIGINT NOT NULL REFERENCES ads(id),
    coop_id BIGINT,
    kind TEXT NOT NULL,
    idem_key TEXT NOT NULL UNIQUE,
    to_addr TEXT NOT NULL,
    from_addr TEXT NOT NULL DEFAULT '',
    reply_to TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'queued',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at {{TS}} NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    message_id TEXT NOT NULL DEFAULT '',
    created_at {{TS}} NOT NULL,
    sent_at {{TS}},
    FOREIGN KEY (coop_id, ad_id) REFERENCES coops (id, ad_id),
    CHECK (status IN ('queued', 'sent', 'failed'))
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_ad ON outbox (ad_id, id);
CREATE INDEX outbox_ad_sent ON outbox (ad_id, status, sent_at);
CREATE INDEX outbox_coop ON outbox (coop_id, id);

CREATE TABLE reminders (
    campaign_id BIGINT NOT NULL,
    coop_id BIGINT NOT NULL REFERENCES coops(id),
    rule TEXT NOT NULL,
    outbox_id BIGINT NOT NULL REFERENCES outbox(id),
    missing TEXT NOT NULL DEFAULT '',
    created_at {{TS}} NOT NULL,
    PRIMARY KEY (campaign_id, coop_id, rule)
);
CREATE INDEX reminders_coop ON reminders (coop_id, created_at);

CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at {{TS}} NOT NULL,
    expires_at {{TS}} NOT NULL,
    used_at {{TS}}
);
CREATE INDEX password_resets_user ON password_resets (user_id);

CREATE TABLE ad_mail (
    ad_id BIGINT PRIMARY KEY REFERENCES ads(id),
    from_addr TEXT NOT NULL DEFAULT '',
    signature TEXT NOT NULL DEFAULT '',
    mailbox TEXT NOT NULL DEFAULT '',
    updated_at {{TS}} NOT NULL
);
