import { useSearchParams } from 'react-router';
import { isDay } from '../lib/dates.ts';

/** The value if it is one of `values`, for reading a choice out of the address. */
export function oneOf<T extends string>(values: readonly T[], value: string | null): T | undefined {
  return values.find((candidate) => candidate === value);
}

/** Filters kept in the address, read and changed the same way on every page that lets a view be shared. */
export function useUrlFilters() {
  const [params, setParams] = useSearchParams();
  /** A `YYYY-MM-DD` day from the address, or null when it is missing or not a day. */
  const day = (name: string) => {
    const value = params.get(name);
    return isDay(value) ? value : null;
  };
  /** Sets the given parameters, and removes those given no value; the others stay as they are. */
  function set(changes: Record<string, string | null>) {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes)) {
          if (value) next.set(key, value);
          else next.delete(key);
        }
        return next;
      },
      { replace: true },
    );
  }
  const clearAll = () => setParams({}, { replace: true });
  return { params, day, set, clearAll };
}
