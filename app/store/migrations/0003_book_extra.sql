-- Registre d'inventaire: a note (description, disposal) on an item bought
-- through the book names its operation and its rank among the operation's
-- inventory lines, so that each good of a split purchase has its own row.
ALTER TABLE inventory_items ADD COLUMN line_no BIGINT NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX inventory_items_op_line ON inventory_items (coop_id, operation_id, line_no);
CREATE INDEX cash_counts_book ON cash_counts (coop_id, exercice_id, date);
CREATE INDEX operation_lines_account ON operation_lines (coop_id, account);
-- The book's revision, raised in the same transaction as every write of
-- the exercice's operations, lets the book page reuse a book it has read
-- already (app/store/bookcache.go).
ALTER TABLE exercices ADD COLUMN book_rev BIGINT NOT NULL DEFAULT 0;
