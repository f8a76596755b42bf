-- Closing the year: the history of each exercice's closings and reopenings,
-- the compte-rendu financier's state per coop and exercice (with the figures
-- frozen when the mandataire validates them, and the figures entered
-- directly by coops that keep their books elsewhere), the compte-rendu
-- d'activité's questionnaire per AD and exercice and the coops' answers.
CREATE TABLE exercice_history (
    id {{ID}},
    coop_id BIGINT NOT NULL,
    exercice_id BIGINT NOT NULL,
    at {{TS}} NOT NULL,
    by_user BIGINT REFERENCES users(id),
    by_label TEXT NOT NULL,
    action TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (exercice_id, coop_id) REFERENCES exercices (id, coop_id),
    CHECK (action IN ('cloture', 'reouverture'))
);
CREATE INDEX exercice_history_ex ON exercice_history (coop_id, exercice_id, id);

CREATE TABLE crfs (
    id {{ID}},
    coop_id BIGINT NOT NULL,
    exercice_id BIGINT NOT NULL,
    source TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'brouillon',
    figures TEXT NOT NULL DEFAULT '',
    entered TEXT NOT NULL DEFAULT '',
    validated_at {{TS}},
    validated_by BIGINT REFERENCES users(id),
    subsidies TEXT NOT NULL DEFAULT '',
    subsidies_validated_at {{TS}},
    locked_at {{TS}},
    created_at {{TS}} NOT NULL,
    updated_at {{TS}} NOT NULL,
    FOREIGN KEY (exercice_id, coop_id) REFERENCES exercices (id, coop_id),
    UNIQUE (coop_id, exercice_id),
    UNIQUE (id, coop_id),
    CHECK (source IN ('cahier', 'saisie')),
    CHECK (status IN ('brouillon', 'valide', 'verrouille')),
    CHECK (status = 'brouillon' OR figures <> '')
);

CREATE TABLE cra_forms (
    id {{ID}},
    ad_id BIGINT NOT NULL REFERENCES ads(id),
    exercice TEXT NOT NULL,
    definition TEXT NOT NULL,
    created_at {{TS}} NOT NULL,
    updated_at {{TS}} NOT NULL,
    UNIQUE (ad_id, exercice)
);

CREATE TABLE cra_answers (
    id {{ID}},
    coop_id BIGINT NOT NULL,
    exercice_id BIGINT NOT NULL,
    definition TEXT NOT NULL,
    answers TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'brouillon',
    submitted_at {{TS}},
    updated_at {{TS}} NOT NULL,
    FOREIGN KEY (exercice_id, coop_id) REFERENCES exercices (id, coop_id),
    UNIQUE (coop_id, exercice_id),
    CHECK (status IN ('brouillon', 'transmis'))
);
