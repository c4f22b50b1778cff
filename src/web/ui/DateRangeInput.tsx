import { DatePickerInput, type DatesRangeValue } from '@mantine/dates';
import { IconCalendar } from '@tabler/icons-react';
import { useState } from 'react';
import { today } from '../lib/dates.ts';

interface DateRangeInputProps {
  from: string | null;
  to: string | null;
  onChange(from: string | null, to: string | null): void;
  label?: string;
  /** Whose calendar "today" and the presets follow; the browser's when left out. */
  timeZone?: string;
  w?: number;
}

/** A range of whole days picked in two clicks: it changes once both ends are chosen (or both cleared). */
export function DateRangeInput({ from, to, onChange, label = 'Dates', timeZone, w = 272 }: DateRangeInputProps) {
  const [picking, setPicking] = useState<DatesRangeValue<string> | null>(null);
  const now = today(timeZone);
  const daysAgo = (days: number) => today(timeZone, days);
  return (
    <DatePickerInput
      type="range"
      label={label}
      placeholder="Any time"
      value={picking ?? [from, to]}
      onChange={(value) => {
        const [start, end] = value;
        if (start && !end) {
          setPicking(value);
          return;
        }
        setPicking(null);
        onChange(start, end);
      }}
      onDropdownClose={() => setPicking(null)}
      allowSingleDateInRange
      clearable
      maxDate={now}
      valueFormat="D MMM YYYY"
      leftSection={<IconCalendar size={16} stroke={1.6} />}
      presets={[
        { value: [now, now], label: 'Today' },
        { value: [daysAgo(6), now], label: 'Last 7 days' },
        { value: [daysAgo(29), now], label: 'Last 30 days' },
        { value: [daysAgo(364), now], label: 'Last 12 months' },
      ]}
      w={w}
    />
  );
}
