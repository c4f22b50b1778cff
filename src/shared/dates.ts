/** The day (YYYY-MM-DD) a moment falls on in a time zone: the business's day, for the names of files it downloads. */
export function dayIn(timeZone: string, at: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
