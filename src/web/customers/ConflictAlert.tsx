import { Alert, Button, Group, Table, Text } from '@mantine/core';
import { IconGitMerge } from '@tabler/icons-react';
import type { Customer } from '../../features/customers/customer.schema.ts';
import { useCustomerGroups } from '../api/groups.ts';
import { countryName } from '../lib/countries.ts';
import { formatBirthday, formatDateTime } from '../lib/format.ts';
import { Dash } from '../ui/Value.tsx';
import {
  type CustomerFormValues,
  changedFields,
  FIELD_LABELS,
  fieldValue,
  toFormValues,
} from './customer-form-values.ts';

interface ConflictAlertProps {
  /** The customer as this user loaded it. */
  loaded: Customer;
  current: Customer;
  fields: string[];
  mine: CustomerFormValues;
  saving: boolean;
  onReviewTheirs: () => void;
  onSaveMine: () => void;
}

function show(field: string, value: string | boolean, groupName: (id: string) => string | undefined) {
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (value === '') return <Dash />;
  if (field === 'groupId') return groupName(value) ?? 'A group no longer there';
  if (field.endsWith('.country')) return countryName(value);
  if (field === 'dateOfBirth') return formatBirthday(value);
  return value;
}

/** Someone saved this customer after the form was opened: say so, show what is at stake, let the user choose. */
export function ConflictAlert({
  loaded,
  current,
  fields,
  mine,
  saving,
  onReviewTheirs,
  onSaveMine,
}: ConflictAlertProps) {
  const theirs = toFormValues(current);
  const groups = useCustomerGroups();
  const groupName = (id: string) => groups.data?.find((group) => group.id === id)?.name;
  const alsoChanged = changedFields(loaded, theirs).filter((field) => !fields.includes(field));
  return (
    <Alert
      color="orange"
      variant="light"
      icon={<IconGitMerge />}
      title="Someone else changed this customer while you were editing. Nothing was saved."
      role="alert"
    >
      <Text size="sm" mb="sm">
        Their version was saved on {formatDateTime(current.updatedAt)}. These are your changes, next to what the
        customer has now:
      </Text>
      <Table withTableBorder bg="var(--mantine-color-body)" fz="sm" verticalSpacing={6} mb="md" layout="fixed">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w="30%">Field</Table.Th>
            <Table.Th>Your change</Table.Th>
            <Table.Th>Their version</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {fields.map((field) => (
            <Table.Tr key={field}>
              <Table.Td fw={500}>{FIELD_LABELS[field] ?? field}</Table.Td>
              <Table.Td className="pre-wrap">{show(field, fieldValue(mine, field), groupName)}</Table.Td>
              <Table.Td className="pre-wrap">{show(field, fieldValue(theirs, field), groupName)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="sm" mb="sm">
        {alsoChanged.length > 0
          ? `They also changed ${alsoChanged.map((field) => FIELD_LABELS[field] ?? field).join(', ')}. `
          : null}
        “Save mine anyway” writes only the fields above; their other changes stay.
      </Text>
      <Group gap="sm">
        <Button variant="default" onClick={onReviewTheirs} disabled={saving}>
          Review their version
        </Button>
        <Button color="orange" onClick={onSaveMine} loading={saving}>
          Save mine anyway
        </Button>
      </Group>
    </Alert>
  );
}
