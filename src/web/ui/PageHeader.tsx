import { Anchor, Breadcrumbs, Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

interface PageHeaderProps {
  title: ReactNode;
  /** Where this page sits, e.g. Customers › Jane Doe; the last crumb is this page. */
  crumbs?: { label: string; to?: string }[];
  description?: ReactNode;
  /** Shown before the title, such as an avatar. */
  leading?: ReactNode;
  actions?: ReactNode;
  children?: ReactNode;
}

export function PageHeader({ title, crumbs, description, leading, actions, children }: PageHeaderProps) {
  return (
    <Stack gap={6} mb="lg">
      {crumbs && crumbs.length > 0 ? (
        <Breadcrumbs separatorMargin={6} fz="sm">
          {crumbs.map((crumb) =>
            crumb.to ? (
              <Anchor key={crumb.label} component={Link} to={crumb.to} size="sm" c="dimmed">
                {crumb.label}
              </Anchor>
            ) : (
              <Text key={crumb.label} size="sm" c="dimmed" truncate maw={320}>
                {crumb.label}
              </Text>
            ),
          )}
        </Breadcrumbs>
      ) : null}
      {/* On a narrow screen the actions go below the title rather than squeezing it. */}
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="md">
        <Group gap="md" wrap="nowrap" style={{ flex: '1 1 320px', minWidth: 0 }}>
          {leading}
          <Stack gap={4} style={{ minWidth: 0 }}>
            <Title order={1} fz={26} lh={1.25} style={{ overflowWrap: 'anywhere' }}>
              {title}
            </Title>
            {description ? (
              <Text c="dimmed" size="sm">
                {description}
              </Text>
            ) : null}
            {children}
          </Stack>
        </Group>
        {actions ? (
          <Group gap="sm" wrap="nowrap" style={{ flexShrink: 0 }}>
            {actions}
          </Group>
        ) : null}
      </Group>
    </Stack>
  );
}
