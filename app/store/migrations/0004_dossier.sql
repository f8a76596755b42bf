-- The annual submission: one campaign per AD and exercice, one dossier per
-- coop and campaign (the workflow.Dossier as JSON, with denormalised columns
-- kept in sync on every save so that the staff queue of 2,000 coops is one
-- indexed query), its append-only history, and the documents attached to it.
CREATE TABLE campaigns (
    id {{ID}},
    ad_id BIGINT NOT NULL REFERENCES ads(id),
    exercice TEXT NOT NULL,
    deadline TEXT NOT NULL,
    rules TEXT NOT NULL DEFAULT '',
    created_at {{TS}} NOT NULL,
    UNIQUE (ad_id, exercice)
);

CREATE TABLE dossiers (
    id {{ID}},
    coop_id BIGINT NOT NULL REFERENCES coops(id),
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
    state TEXT NOT NULL,
    status TEXT NOT NULL,
    score INTEGER NOT NULL DEFAULT 0,
    missing TEXT NOT NULL DEFAULT '',
    open_corrections INTEGER NOT NULL DEFAULT 0,
    unreviewed INTEGER NOT NULL DEFAULT 0,
    last_activity {{TS}},
    transmitted_at {{TS}},
    validated_at {{TS}},
    version BIGINT NOT NULL DEFAULT 1,
    created_at {{TS}} NOT NULL,
    UNIQUE (coop_id, campaign_id),
    UNIQUE (id, coop_id),
    CHECK (status IN ('incomplet', 'transmis', 'a_corriger', 'valide'))
);
CREATE INDEX dossiers_campaign_status ON dossiers (campaign_id, status);

CREATE TABLE dossier_history (
    id {{ID}},
    coop_id BIGINT NOT NULL,
    dossier_id BIGINT NOT NULL,
    at {{TS}} NOT NULL,
    by_user BIGINT REFERENCES users(id),
    by_label TEXT NOT NULL,
    kind TEXT NOT NULL,
    item TEXT NOT NULL DEFAULT '',
    document_id BIGINT,
    what TEXT NOT NULL,
    why TEXT NOT NULL DEFAULT '',
    effects TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (dossier_id, coop_id) REFERENCES dossiers (id, coop_id),
    FOREIGN KEY (document_id, coop_id) REFERENCES documents (id, coop_id)
);
CREATE INDEX dossier_history_dossier ON dossier_history (coop_id, dossier_id, id);

CREATE TABLE dossier_documents (
    id {{ID}},
    coop_id BIGINT NOT NULL,
    dossier_id BIGINT NOT NULL,
    document_id BIGINT NOT NULL,
    item TEXT NOT NULL,
    source TEXT NOT NULL,
    subsidy_ref TEXT NOT NULL DEFAULT '',
    received_at {{TS}} NOT NULL,
    UNIQUE (dossier_id, document_id),
    FOREIGN KEY (dossier_id, coop_id) REFERENCES dossiers (id, coop_id),
    FOREIGN KEY (document_id, coop_id) REFERENCES documents (id, coop_id),
    CHECK (source IN ('web', 'mail', 'poste'))
);
CREATE INDEX dossier_documents_dossier ON dossier_documents (coop_id, dossier_id);
