import { Text } from '@mantine/core';
import { storeDateAndTime } from '../lib/format.ts';

/** When a receipt was rung up, on its store's clock: the day, and the time under it. */
export function StoreTime({ sale }: { sale: { soldAt: string; store: { timeZone: string } } }) {
  const [date, time] = storeDateAndTime(sale.soldAt, sale.store.timeZone);
  return (
    <time dateTime={sale.soldAt} style={{ display: 'block' }}>
      <Text span size="sm" display="block" className="tabular" style={{ whiteSpace: 'nowrap' }}>
        {date}
      </Text>
      <Text span size="xs" c="dimmed" display="block" className="tabular" style={{ whiteSpace: 'nowrap' }}>
        {time}
      </Text>
    </time>
  );
}
