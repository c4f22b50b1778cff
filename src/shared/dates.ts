/**
 * The day (YYYY-MM-DD) a moment falls on in a time zone (the business's: the names of files it downloads, "today"
 * in its reports); without one, the local zone's.
 */
export function dayIn(timeZone: string | undefined, at: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
