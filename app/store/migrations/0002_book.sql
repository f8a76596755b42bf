-- The cahier de comptabilité: operations with their ventilation, régies,
-- cash counts, inventory, subsidy funders; stored documents (pièces and
-- submission scans), content-addressed on disk.
CREATE TABLE documents (
    id {{ID}},
    coop_id BIGINT NOT NULL REFERENCES coops(id),
    sha256 TEXT NOT NULL,
    name TEXT NOT NULL,
    mime TEXT NOT NULL,
    size BIGINT NOT NULL,
    source TEXT NOT NULL DEFAULT 'web',
    created_at {{TS}} NOT NULL,
    created_by BIGINT,
    UNIQUE (coop_id, sha256),
    UNIQUE (id, coop_id),
    CHECK (source IN ('web', 'mail', 'poste'))
);

CREATE TABLE operations (
    id {{ID}},
    coop_id BIGINT NOT NULL,
    exercice_id BIGINT NOT NULL,
    date TEXT NOT NULL,
    seq BIGINT NOT NULL DEFAULT 0,
    piece TEXT NOT NULL,
    libelle TEXT NOT NULL,
    kind TEXT NOT NULL,
    mode TEXT NOT NULL DEFAULT '',
    cheque TEXT NOT NULL DEFAULT '',
    treasury TEXT NOT NULL,
    counterpart TEXT NOT NULL DEFAULT '',
    amount BIGINT NOT NULL,
    project TEXT NOT NULL DEFAULT '',
    ticked TEXT,
    document_id BIGINT,
    idem_key TEXT,
    created_at {{TS}} NOT NULL,
    updated_at {{TS}} NOT NULL,
    FOREIGN KEY (exercice_id, coop_id) REFERENCES exercices (id, coop_id),
    FOREIGN KEY (document_id, coop_id) REFERENCES documents (id, coop_id),
    UNIQUE (coop_id, idem_key),
    UNIQUE (id, coop_id),
    CHECK (amount > 0),
    CHECK (kind IN ('recette', 'depense', 'transfert'))
);
CREATE INDEX operations_book ON operations (coop_id, exercice_id, date, seq);

CREATE TABLE operation_lines (
    id {{ID}},
    coop_id BIGINT NOT NULL,
    operation_id BIGINT NOT NULL,
    account TEXT NOT NULL,
    amount BIGINT NOT NULL,
    FOREIGN KEY (operation_id, coop_id) REFERENCES operations (id, coop_id) ON DELETE CASCADE
);
CREATE INDEX operation_lines_op ON operation_lines (coop_id, operation_id);

CREATE TABLE regies (
    id {{ID}},
    coop_id BIGINT NOT NULL REFERENCES coops(id),
    code TEXT NOT NULL,
    label TEXT NOT NULL,
    created_at {{TS}} NOT NULL,
    UNIQUE (coop_id, code),
    UNIQUE (id, coop_id)
);

CREATE TABLE cash_counts (
    id {{ID}},
    coop_id BIGINT NOT NULL,
    exercice_id BIGINT NOT NULL,
    date TEXT NOT NULL,
    counts TEXT NOT NULL,
    total BIGINT NOT NULL,
    book BIGINT NOT NULL,
    created_at {{TS}} NOT NULL,
    created_by BIGINT,
    FOREIGN KEY (exercice_id, coop_id) REFERENCES exercices (id, coop_id),
    UNIQUE (id, coop_id)
);

CREATE TABLE inventory_items (
    id {{ID}},
    coop_id BIGINT NOT NULL,
    exercice_id BIGINT NOT NULL,
    operation_id BIGINT,
    date TEXT NOT NULL,
    description TEXT NOT NULL,
    value BIGINT NOT NULL,
    disposed_on TEXT,
    created_at {{TS}} NOT NULL,
    FOREIGN KEY (exercice_id, coop_id) REFERENCES exercices (id, coop_id),
    FOREIGN KEY (operation_id, coop_id) REFERENCES operations (id, coop_id) ON DELETE CASCADE,
    UNIQUE (id, coop_id)
);

CREATE TABLE subsidy_funders (
    coop_id BIGINT NOT NULL,
    operation_id BIGINT NOT NULL,
    funder TEXT NOT NULL,
    PRIMARY KEY (coop_id, operation_id),
    FOREIGN KEY (operation_id, coop_id) REFERENCES operations (id, coop_id) ON DELETE CASCADE
);
