/** What the cashier typed in the customer search, read as the start of a new customer. */
export interface TypedCustomer {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  code: string;
}

/** "jane doe" → "Jane Doe"; a name typed with capitals stays as typed ("McKay", "van Dijk"). */
function capitalise(words: string): string {
  if (words !== words.toLowerCase()) return words;
  return words.replace(/(^|[\s'-])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toUpperCase());
}

/**
 * An email address goes to Email, a phone number to Phone, a scanned card (one word with digits) to the
 * customer code, anything else is a name: the last word the last name, the words before it the first name.
 */
export function readTyped(typed: string): TypedCustomer {
  const text = typed.trim().replace(/\s+/g, ' ');
  const empty: TypedCustomer = { firstName: '', lastName: '', email: '', phone: '', code: '' };
  if (!text) return empty;
  if (text.includes('@')) return { ...empty, email: text };
  const digits = text.replace(/\D/g, '');
  if (/^\+?[\d\s().-]+$/.test(text) && digits.length >= 6) return { ...empty, phone: text };
  if (!text.includes(' ') && /\d/.test(text)) return { ...empty, code: text };
  const words = capitalise(text).split(' ');
  if (words.length === 1) return { ...empty, firstName: words[0] ?? '' };
  return { ...empty, firstName: words.slice(0, -1).join(' '), lastName: words.at(-1) ?? '' };
}
