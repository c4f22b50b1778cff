import type { SelectProps } from '@mantine/core';
import { COUNTRY_OPTIONS, CURRENCY_OPTIONS, TIME_ZONE_OPTIONS, withValue } from '../lib/countries.ts';
import { StableSelect } from '../ui/StableSelect.tsx';

const KINDS = {
  currency: { options: CURRENCY_OPTIONS, nothingFoundMessage: 'No such currency', limit: 400 },
  country: { options: COUNTRY_OPTIONS, nothingFoundMessage: 'No country by that name', limit: 300 },
  timeZone: { options: TIME_ZONE_OPTIONS, nothingFoundMessage: 'No such time zone', limit: 600 },
} as const;

interface LocaleSelectProps extends Omit<SelectProps, 'data'> {
  kind: keyof typeof KINDS;
}

/** The business's currency, country or time zone, picked the same way at setup and in Settings. */
export function LocaleSelect({ kind, ...props }: LocaleSelectProps) {
  const { options, nothingFoundMessage, limit } = KINDS[kind];
  return (
    <StableSelect
      data={withValue(options, props.value)}
      searchable
      allowDeselect={false}
      nothingFoundMessage={nothingFoundMessage}
      limit={limit}
      {...props}
    />
  );
}
