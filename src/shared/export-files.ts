/**
 * How long the file of a background export is kept for download, in days: the server purges it after, and
 * the web UI says so. Here (not in the export schema) so the UI can import it without the CSV machinery.
 */
export const EXPORT_FILE_DAYS = 7;

/**
 * How long an import keeps its uploaded file, its error file and its checked rows after it ended (or after a
 * dry run nobody committed), in days: they hold every customer of the file, so they are not kept for ever.
 */
export const IMPORT_FILE_DAYS = 30;
