-- The staging table of bulk files holds a job's rows from its dry run to its end (a million for a large import),
-- and nothing else reads them for long: autovacuum's vacuum after many inserts, which exists to mark the pages of
-- an append-only table all-visible and frozen, is of no use to it, and started during a commit it shared the two
-- cores of this machine with the import (~11 s of a 132 s commit in one run of `npm run bench -- import`;
-- docs/benchmarks.md, "Customer import"). Off for this table only; the vacuum after deletes (a finished job's rows)
-- and the dry run's own ANALYZE stay, and so does the vacuum against transaction-id wraparound, which no setting
-- turns off.
ALTER TABLE import_row SET (autovacuum_vacuum_insert_threshold = -1);
