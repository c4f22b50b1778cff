/**
 * How long the file of a background export is kept for download, in days: the server purges it after, and
 * the web UI says so. Here (not in the export schema) so the UI can import it without the CSV machinery.
 */
export const EXPORT_FILE_DAYS = 7;
