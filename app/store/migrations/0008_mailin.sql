-- Mail-in: the mailboxes an AD's admin configured in the app (the
-- RETKOOP_IMAP_URL mailbox of the default AD needs no row), the ledger of
-- every message handled, keyed by (mailbox, UIDVALIDITY, UID) so that no
-- message is ever processed twice, and every file found in those messages.
-- A file of an unmatched message has no documents row (documents belong to
-- a coop): its bytes wait in the docstore under sha256 until a staff member
-- assigns it to a coop, which creates the document then.
CREATE TABLE mailboxes (
    id {{ID}},
    ad_id BIGINT NOT NULL UNIQUE REFERENCES ads(id),
    url TEXT NOT NULL,
    processed TEXT NOT NULL DEFAULT 'Traites',
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at {{TS}} NOT NULL,
    updated_by BIGINT REFERENCES users(id)
);

CREATE TABLE mail_ledger (
    id {{ID}},
    ad_id BIGINT NOT NULL REFERENCES ads(id),
    mailbox TEXT NOT NULL,
    uid_validity BIGINT NOT NULL,
    uid BIGINT NOT NULL,
    message_id TEXT NOT NULL DEFAULT '',
    from_addr TEXT NOT NULL DEFAULT '',
    from_name TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',
    excerpt TEXT NOT NULL DEFAULT '',
    coop_id BIGINT,
    matched_by TEXT NOT NULL DEFAULT '',
    suggested_coop_id BIGINT,
    exercice TEXT NOT NULL DEFAULT '',
    doc_type TEXT NOT NULL DEFAULT '',
    issue TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    documents INTEGER NOT NULL DEFAULT 0,
    automatic BOOLEAN NOT NULL DEFAULT FALSE,
    raw_sha256 TEXT NOT NULL DEFAULT '',
    retry TEXT NOT NULL DEFAULT '',
    received_at {{TS}},
    processed_at {{TS}} NOT NULL,
    UNIQUE (mailbox, uid_validity, uid),
    UNIQUE (id, ad_id),
    FOREIGN KEY (coop_id, ad_id) REFERENCES coops (id, ad_id),
    FOREIGN KEY (suggested_coop_id, ad_id) REFERENCES coops (id, ad_id),
    CHECK (issue IN ('stored', 'duplicate', 'unmatched', 'no_attachment', 'rejected', 'failed')),
    CHECK (retry IN ('', 'demandee', 'relancee'))
);
CREATE INDEX mail_ledger_ad ON mail_ledger (ad_id, processed_at);
CREATE INDEX mail_ledger_message_id ON mail_ledger (mailbox, message_id);
CREATE INDEX mail_ledger_retry ON mail_ledger (mailbox, retry);

CREATE TABLE mail_attachments (
    id {{ID}},
    ledger_id BIGINT NOT NULL,
    ad_id BIGINT NOT NULL,
    coop_id BIGINT,
    document_id BIGINT,
    name TEXT NOT NULL DEFAULT '',
    mime TEXT NOT NULL DEFAULT '',
    size BIGINT NOT NULL DEFAULT 0,
    sha256 TEXT NOT NULL DEFAULT '',
    doc_type TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    exercice TEXT NOT NULL DEFAULT '',
    item TEXT NOT NULL DEFAULT '',
    resolved_at {{TS}},
    resolved_by BIGINT REFERENCES users(id),
    FOREIGN KEY (ledger_id, ad_id) REFERENCES mail_ledger (id, ad_id),
    FOREIGN KEY (coop_id, ad_id) REFERENCES coops (id, ad_id),
    FOREIGN KEY (document_id, coop_id) REFERENCES documents (id, coop_id),
    CHECK (status IN ('stored', 'duplicate', 'triage', 'rejected', 'dismissed')),
    CHECK (status <> 'triage' OR sha256 <> '')
);
CREATE INDEX mail_attachments_ledger ON mail_attachments (ledger_id);
CREATE INDEX mail_attachments_triage ON mail_attachments (ad_id, status);
