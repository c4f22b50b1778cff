/**
 * A worker thread of a large dry run (Piscina runs this module's default export for each batch): checks a
 * batch of records and returns the staging table's COPY input for them. The job's thread keeps reading the
 * file and writing to PostgreSQL meanwhile; see import.jobs.ts.
 */
import { type StageContext, type StageRecord, stageBatch } from './stage-rows.ts';

export default function stage({ context, records }: { context: StageContext; records: StageRecord[] }) {
  return stageBatch(context, records);
}
