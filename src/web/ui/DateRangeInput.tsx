import { DatePickerInput, type DatesRangeValue } from '@mantine/dates';
import { IconCalendar } from '@tabler/icons-react';
import { useState } from 'react';
import { PICKER_DAY_FORMAT, today } from '../lib/dates.ts';

interface DateRangeInputProps {
  from: string | null;
  to: string | null;
  onChange(from: string | null, to: string | null): void;
  label?: string;
  /** Whose calendar "today" and the presets follow; the browser's when left out. */
  timeZone?: string | undefined;
  /** A width in pixels; the container's whole width when left out. */
  w?: number | undefined;
  error?: string | undefined;
  /** Shortcuts: how many days back from today each starts, and its name. */
  presets?: readonly (readonly [daysBack: number, label: string])[];
}

const PRESETS = [
  [0, 'Today'],
  [6, 'Last 7 days'],
  [29, 'Last 30 days'],
  [364, 'Last 12 months'],
] as const;

/** A range of whole days picked in two clicks: it changes once both ends are chosen (or both cleared). */
export function DateRangeInput({
  from,
  to,
  onChange,
  label = 'Dates',
  timeZone,
  w,
  error,
  presets = PRESETS,
}: DateRangeInputProps) {
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
      error={error}
      allowSingleDateInRange
      clearable
      maxDate={now}
      valueFormat={PICKER_DAY_FORMAT}
      leftSection={<IconCalendar size={16} stroke={1.6} />}
      presets={presets.map(([days, name]) => ({ value: [daysAgo(days), now] as [string, string], label: name }))}
      w={w}
    />
  );
}
