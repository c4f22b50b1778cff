import { type ComboboxProps, Select, type SelectProps } from '@mantine/core';
import { memo } from 'react';

// Mantine keeps a closed Select's options in the page by default: hundreds of hidden nodes per country or
// time-zone field, rendered again on every keystroke anywhere in the form.
const COMBOBOX: ComboboxProps = { keepMounted: false };

/**
 * A Select that renders its options only while open, and re-renders only when what it shows changes.
 * Form change handlers may be a render old: @mantine/form's setters do not close over the values.
 */
export const StableSelect = memo(
  function StableSelect(props: SelectProps) {
    return <Select comboboxProps={COMBOBOX} {...props} />;
  },
  (before, after) =>
    before.value === after.value &&
    before.error === after.error &&
    before.data === after.data &&
    before.label === after.label &&
    before.disabled === after.disabled,
);
