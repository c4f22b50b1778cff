/**
 * How a search box query is read: the shape of what was typed decides where to look (an email goes
 * to the email index, digits to the phone digits, words to the names), as people type them.
 */
export interface SearchPlan {
  /** The whole query, trimmed: matched exactly against codes, emails and card numbers. */
  whole: string;
  /** Words of letters (and digits mixed with letters), each matched as the start of a name word. */
  words: string[];
  /** Runs of digits typed as phone fragments (trunk zeros dropped), each matched anywhere in a phone. */
  digits: string[];
  /** An email, or the start of one. */
  email: string | null;
}

const PHONE_LIKE = /^\+?[\d\s().-]+$/;

export function planSearch(query: string): SearchPlan {
  const whole = query.trim().replace(/\s+/g, ' ');
  const plan: SearchPlan = { whole, words: [], digits: [], email: null };
  if (whole.includes('@') && !whole.includes(' ')) {
    plan.email = whole.toLowerCase();
    return plan;
  }
  // "0412 345 678" and "+61 (412) 345-678" are one phone fragment, not three words.
  if (PHONE_LIKE.test(whole)) {
    const digits = whole.replace(/\D/g, '').replace(/^0+/, '');
    if (digits.length >= 3) plan.digits.push(digits);
    return plan;
  }
  for (const token of whole.split(' ')) {
    if (PHONE_LIKE.test(token) && /\d/.test(token)) {
      const digits = token.replace(/\D/g, '').replace(/^0+/, '');
      if (digits.length >= 3) plan.digits.push(digits);
      continue;
    }
    // The same word boundaries as PostgreSQL's parser: O'Brien and Smith-Jones are two words each.
    plan.words.push(...token.split(/[^\p{L}\p{N}]+/u).filter(Boolean));
  }
  return plan;
}
