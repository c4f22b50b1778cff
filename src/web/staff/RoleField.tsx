import { Group, Radio, Stack, Text } from '@mantine/core';
import type { StaffInvite } from '../../features/staff/staff.schema.ts';
import { ROLE_DESCRIPTIONS, ROLE_OPTIONS } from './roles.ts';

type AssignableRole = StaffInvite['role'];

interface RoleFieldProps {
  value: AssignableRole;
  onChange(role: AssignableRole): void;
  error?: string | undefined;
  disabled?: boolean;
  description?: string;
}

/** The role as three cards, each saying what the role may do: a choice to make knowingly. */
export function RoleField({ value, onChange, error, disabled = false, description }: RoleFieldProps) {
  return (
    <Radio.Group
      label="Role"
      description={description}
      value={value}
      onChange={(next) => onChange(next as AssignableRole)}
      error={error}
      withAsterisk
    >
      <Stack gap={8} mt={6}>
        {ROLE_OPTIONS.map((option) => (
          <Radio.Card
            key={option.value}
            value={option.value}
            p="sm"
            disabled={disabled}
            style={disabled ? { opacity: 0.6, cursor: 'not-allowed' } : undefined}
          >
            <Group wrap="nowrap" align="flex-start" gap="sm">
              <Radio.Indicator mt={2} disabled={disabled} />
              <div>
                <Text size="sm" fw={600} lh={1.3}>
                  {option.label}
                </Text>
                <Text size="xs" c="dimmed" lh={1.4}>
                  {ROLE_DESCRIPTIONS[option.value]}
                </Text>
              </div>
            </Group>
          </Radio.Card>
        ))}
      </Stack>
    </Radio.Group>
  );
}
