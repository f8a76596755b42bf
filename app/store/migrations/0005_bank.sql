-- Bank statements of a coop's compte courant: each imported file, its
-- lines (deduplicated across imports by a stable key: the OFX FITID, or a
-- hash for CSV), the pairing of lines with operations of the book, and the
-- CSV column mapping the coop last confirmed.
CREATE TABLE bank_statements (
    id {{ID}},
    coop_id BIGINT NOT NULL REFERENCES coops(id),
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    account_id TEXT NOT NULL DEFAULT '',
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    -- Balances before the first and after the last day; NULL when neither
    -- the file nor the mandataire gave them.
    opening_balance BIGINT,
    closing_balance BIGINT,
    line_count BIGINT NOT NULL DEFAULT 0,
    imported_at {{TS}} NOT NULL,
    imported_by BIGINT REFERENCES users(id),
    UNIQUE (coop_id, sha256, account_id),
    UNIQUE (id, coop_id),
    CHECK (start_date <= end_date)
);
CREATE INDEX bank_statements_end ON bank_statements (coop_id, end_date);

CREATE TABLE bank_lines (
    id {{ID}},
    coop_id BIGINT NOT NULL,
    statement_id BIGINT NOT NULL,
    date TEXT NOT NULL,
    label TEXT NOT NULL,
    amount BIGINT NOT NULL,
    fitid TEXT NOT NULL DEFAULT '',
    dedupe_key TEXT NOT NULL,
    cheque TEXT NOT NULL DEFAULT '',
    -- unmatched, proposed (proposal holds the matcher's JSON) or ticked
    -- (bank_matches holds the operations).
    status TEXT NOT NULL DEFAULT 'unmatched',
    proposal TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (statement_id, coop_id) REFERENCES bank_statements (id, coop_id),
    UNIQUE (coop_id, dedupe_key),
    UNIQUE (id, coop_id),
    CHECK (status IN ('unmatched', 'proposed', 'ticked'))
);
CREATE INDEX bank_lines_date ON bank_lines (coop_id, date);
CREATE INDEX bank_lines_statement ON bank_lines (coop_id, statement_id, date);

-- One row per operation paid by a line; an operation is on one line at
-- most. ticked_before is the operation's pointage before the pairing, put
-- back when the pairing is undone.
CREATE TABLE bank_matches (
    id {{ID}},
    coop_id BIGINT NOT NULL,
    line_id BIGINT NOT NULL,
    operation_id BIGINT NOT NULL,
    auto BOOLEAN NOT NULL DEFAULT FALSE,
    score BIGINT NOT NULL DEFAULT 0,
    reasons TEXT NOT NULL DEFAULT '',
    ticked_before TEXT,
    created_at {{TS}} NOT NULL,
    created_by BIGINT REFERENCES users(id),
    FOREIGN KEY (line_id, coop_id) REFERENCES bank_lines (id, coop_id) ON DELETE CASCADE,
    FOREIGN KEY (operation_id, coop_id) REFERENCES operations (id, coop_id) ON DELETE CASCADE,
    UNIQUE (operation_id)
);
CREATE INDEX bank_matches_line ON bank_matches (coop_id, line_id);

CREATE TABLE bank_mappings (
    coop_id BIGINT PRIMARY KEY REFERENCES coops(id),
    signature TEXT NOT NULL,
    mapping TEXT NOT NULL,
    updated_at {{TS}} NOT NULL
);
