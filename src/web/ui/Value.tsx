import { Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** The mark for "no value": quieter than the values around it. */
export function Dash() {
  return (
    <Text span inherit c="gray.5" aria-label="none">
      —
    </Text>
  );
}

/** A value, or a dash when there is none. */
export function Value({ children }: { children: ReactNode }) {
  return children === null || children === undefined || children === '' ? <Dash /> : children;
}
