-- An import's uploaded file, its error rows and its checked rows hold the personal data of every customer in the
-- file. They are kept IMPORT_FILE_DAYS (30) days after the import ended, for its report and the rows to fix, then
-- deleted by an hourly task, which notes when here; the job stays in the list of recent imports with its counts.
-- A dry run never committed is set aside (cancelled) after as long.
ALTER TABLE bulk_job ADD COLUMN files_deleted_at timestamptz;
