import { AppShell, Burger, Group, NavLink, Text, ThemeIcon, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconApi, IconExternalLink, IconReceipt2, IconSettings, IconUsers } from '@tabler/icons-react';
import { useEffect } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { useSettings } from '../api/settings.ts';

const NAVIGATION = [
  { to: '/customers', label: 'Customers', icon: IconUsers },
  { to: '/settings', label: 'Settings', icon: IconSettings },
];

/** The back office frame: header, navigation, and the page. */
export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure();
  const { pathname } = useLocation();
  const settings = useSettings();

  // On a phone the navigation covers the page: put it away once a page is chosen.
  useEffect(() => {
    if (pathname) close();
  }, [pathname, close]);

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 232, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding={{ base: 'md', md: 'xl' }}
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <UnstyledButton component={Link} to="/customers" aria-label="Patron home">
              <Group gap={8} wrap="nowrap">
                <ThemeIcon size={30} radius="md" variant="filled">
                  <IconReceipt2 size={18} stroke={1.8} />
                </ThemeIcon>
                <Text fw={700} size="lg">
                  Patron
                </Text>
              </Group>
            </UnstyledButton>
          </Group>
          {settings.data ? (
            <Text size="sm" c="dimmed" truncate maw={320}>
              {settings.data.businessName}
            </Text>
          ) : null}
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" aria-label="Main">
        <AppShell.Section grow>
          {NAVIGATION.map((item) => (
            <NavLink
              key={item.to}
              component={Link}
              to={item.to}
              label={item.label}
              leftSection={<item.icon size={18} stroke={1.6} />}
              active={pathname === item.to || pathname.startsWith(`${item.to}/`)}
              variant="light"
              fw={500}
              style={{ borderRadius: 'var(--mantine-radius-md)' }}
              mb={4}
            />
          ))}
        </AppShell.Section>
        <AppShell.Section>
          <NavLink
            href="/api/docs"
            target="_blank"
            rel="noopener"
            label="API docs"
            leftSection={<IconApi size={18} stroke={1.6} />}
            rightSection={<IconExternalLink size={14} stroke={1.6} />}
            c="dimmed"
            style={{ borderRadius: 'var(--mantine-radius-md)' }}
          />
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
