-- Staff review: what each staff member last saw of each dossier, so that
-- the queue marks the dossiers that changed since ("nouveau"). The dossier's
-- version (its optimistic lock, incremented by every save) is compared, not
-- a timestamp: no clock or text-format question between the two databases.
CREATE TABLE staff_seen (
    user_id BIGINT NOT NULL REFERENCES users(id),
    coop_id BIGINT NOT NULL,
    dossier_id BIGINT NOT NULL,
    version BIGINT NOT NULL,
    seen_at {{TS}} NOT NULL,
    PRIMARY KEY (user_id, dossier_id),
    FOREIGN KEY (dossier_id, coop_id) REFERENCES dossiers (id, coop_id)
);
CREATE INDEX staff_seen_coop ON staff_seen (coop_id);
