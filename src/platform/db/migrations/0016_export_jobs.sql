-- Large customer exports run as background jobs: a bulk_job of kind 'export' (status committing while it
-- writes, then done, failed or cancelled; its search, filters and fields in options) whose CSV file is kept
-- in bulk_job_file under the name 'export', in chunks of 1 MiB, until a periodic task deletes it.
ALTER TABLE bulk_job_file DROP CONSTRAINT bulk_job_file_name_check;
ALTER TABLE bulk_job_file ADD CONSTRAINT bulk_job_file_name_check CHECK (name IN ('upload', 'errors', 'export'));

-- The purge looks for exports that finished before the retention period, across every merchant.
CREATE INDEX bulk_job_export_finished_idx ON bulk_job (finished_at) WHERE kind = 'export';
