/**
 * Whether a parsed phone number is valid: libphonenumber's `isValid()`, from the same metadata, with each
 * numbering plan's patterns compiled once.
 *
 * libphonenumber-js builds a new RegExp from the metadata's pattern text on every check
 * (helpers/matchesEntirely.js), and a country's patterns run to kilobytes: for a British number that was
 * ~60 % of reading it (~45 µs), the largest cost of an import's dry run. The rule is the library's
 * (es6/isValid.js, helpers/getNumberType.js): the national number matches the plan's national number
 * pattern and, where the plan lists number types, the pattern of one of them whose possible lengths admit
 * it. phone-validity.test.ts checks the two agree on numbers of every country.
 */
import { Metadata } from 'libphonenumber-js/core';
import type { PhoneNumber } from 'libphonenumber-js/max';
// The max build exports `Metadata` only as an ES module (not to require(), as under tsx in a worker thread):
// the core class, given the same data.
import metadata from 'libphonenumber-js/metadata.max.json';

/** The number types getNumberType tries: fixed line first, then the others in its order. */
const NUMBER_TYPES = [
  'FIXED_LINE',
  'MOBILE',
  'PREMIUM_RATE',
  'TOLL_FREE',
  'SHARED_COST',
  'VOIP',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
] as const;

/** The part of libphonenumber-js's Metadata this reads (its typings declare less than it has). */
interface NumberingPlanMetadata {
  selectNumberingPlan(plan: string): void;
  hasTypes(): boolean;
  nationalNumberPattern(): string;
  type(type: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
}

interface PlanRules {
  nationalNumber: RegExp;
  /** Null when the plan lists no number types: then the national number pattern decides. */
  types: { pattern: RegExp; lengths: number[] | undefined }[] | null;
}

const entirely = (pattern: string) => new RegExp(`^(?:${pattern})$`);

const PLANS = new Map<string, PlanRules>();

/** A numbering plan's rules, by country (GB) or, for numbers of no country, calling code (800). */
function planRules(plan: string): PlanRules {
  let rules = PLANS.get(plan);
  if (!rules) {
    const numbering = new Metadata(metadata) as unknown as NumberingPlanMetadata;
    numbering.selectNumberingPlan(plan);
    rules = {
      nationalNumber: entirely(numbering.nationalNumberPattern()),
      types: numbering.hasTypes()
        ? NUMBER_TYPES.flatMap((name) => {
            const type = numbering.type(name);
            const pattern = type?.pattern();
            return type && pattern ? [{ pattern: entirely(pattern), lengths: type.possibleLengths() }] : [];
          })
        : null,
    };
    PLANS.set(plan, rules);
  }
  return rules;
}

/** `number.isValid()`, with compiled patterns. */
export function isValidPhoneNumber(number: PhoneNumber): boolean {
  const plan = number.country ?? number.countryCallingCode;
  if (!plan) return false;
  const rules = planRules(plan);
  const national = number.nationalNumber;
  if (!rules.nationalNumber.test(national)) return false;
  if (!rules.types) return true;
  return rules.types.some(
    (type) => (type.lengths === undefined || type.lengths.includes(national.length)) && type.pattern.test(national),
  );
}
