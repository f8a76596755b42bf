-- Foundation: ADs, coops, users, sessions, exercices, chart of accounts, audit log.
CREATE TABLE ads (
    id {{ID}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    id_scheme TEXT NOT NULL DEFAULT 'uai',
    settings TEXT NOT NULL DEFAULT '{}',
    created_at {{TS}} NOT NULL
);

CREATE TABLE coops (
    id {{ID}},
    ad_id BIGINT NOT NULL REFERENCES ads(id),
    uai TEXT NOT NULL,
    name TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    commune TEXT NOT NULL DEFAULT '',
    iban TEXT NOT NULL DEFAULT '',
    mandataire_name TEXT NOT NULL DEFAULT '',
    mandataire_email TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'active',
    book_mode TEXT NOT NULL DEFAULT 'cahier',
    created_at {{TS}} NOT NULL,
    updated_at {{TS}} NOT NULL,
    UNIQUE (ad_id, uai),
    UNIQUE (id, ad_id)
);
CREATE INDEX coops_ad_name ON coops (ad_id, name);

CREATE TABLE users (
    id {{ID}},
    role TEXT NOT NULL,
    ad_id BIGINT REFERENCES ads(id),
    coop_id BIGINT REFERENCES coops(id),
    login TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL DEFAULT '',
    must_change BOOLEAN NOT NULL DEFAULT TRUE,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{TS}} NOT NULL,
    password_changed_at {{TS}},
    CHECK (role IN ('mandataire', 'staff', 'admin', 'national')),
    CHECK ((role = 'mandataire') = (coop_id IS NOT NULL)),
    CHECK ((role IN ('staff', 'admin')) = (ad_id IS NOT NULL AND coop_id IS NULL) OR role IN ('mandataire', 'national'))
);
CREATE INDEX users_coop ON users (coop_id);
CREATE INDEX users_ad ON users (ad_id);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created_at {{TS}} NOT NULL,
    last_seen {{TS}} NOT NULL,
    expires_at {{TS}} NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE exercices (
    id {{ID}},
    coop_id BIGINT NOT NULL REFERENCES coops(id),
    name TEXT NOT NULL,
    opening_bank BIGINT NOT NULL DEFAULT 0,
    opening_cash BIGINT NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'ouvert',
    closed_at {{TS}},
    created_at {{TS}} NOT NULL,
    UNIQUE (coop_id, name),
    UNIQUE (id, coop_id),
    CHECK (state IN ('ouvert', 'clos'))
);

CREATE TABLE accounts (
    id {{ID}},
    ad_id BIGINT NOT NULL REFERENCES ads(id),
    code TEXT NOT NULL,
    label TEXT NOT NULL,
    sense TEXT NOT NULL,
    grp TEXT NOT NULL DEFAULT '',
    confirmed BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (ad_id, code),
    CHECK (sense IN ('charge', 'produit'))
);

CREATE TABLE audit_log (
    id {{ID}},
    at {{TS}} NOT NULL,
    user_id BIGINT,
    ad_id BIGINT,
    coop_id BIGINT,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_coop ON audit_log (coop_id, id);
CREATE INDEX audit_ad ON audit_log (ad_id, id);

CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at {{TS}} NOT NULL
);
