import {
  AppShell,
  Avatar,
  Burger,
  Center,
  Group,
  Loader,
  Menu,
  Modal,
  NavLink,
  Stack,
  Text,
  ThemeIcon,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import {
  IconApi,
  IconChartBar,
  IconChevronDown,
  IconExternalLink,
  IconFileExport,
  IconFileImport,
  IconFileInvoice,
  IconHistory,
  IconKey,
  IconLock,
  IconLogout,
  IconReceipt2,
  IconSettings,
  IconShoppingCart,
  IconUserShield,
  IconUsers,
  IconUsersGroup,
} from '@tabler/icons-react';
import { useEffect } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { type Permission, ROLE_LABELS } from '../../shared/permissions.ts';
import { useSettings } from '../api/settings.ts';
import { ChangePasswordForm } from '../auth/ChangePasswordForm.tsx';
import { useSession } from '../auth/session.tsx';
import { personInitials, setDisplayTimeZone } from '../lib/format.ts';

const NAVIGATION: {
  to: string;
  label: string;
  icon: typeof IconUsers;
  permission?: Permission;
  /** Shown indented under the entry before it, as part of it. */
  nested?: boolean;
}[] = [
  { to: '/sell', label: 'Sell', icon: IconShoppingCart, permission: 'sales:write' },
  { to: '/customers', label: 'Customers', icon: IconUsers, permission: 'customers:read' },
  { to: '/groups', label: 'Groups', icon: IconUsersGroup, permission: 'customers:read', nested: true },
  { to: '/customers/import', label: 'Import', icon: IconFileImport, permission: 'customers:import', nested: true },
  { to: '/exports', label: 'Export log', icon: IconFileExport, permission: 'customers:export', nested: true },
  { to: '/invoices', label: 'Invoices', icon: IconFileInvoice, permission: 'sales:read' },
  { to: '/reports', label: 'Reports', icon: IconChartBar, permission: 'reports:read' },
  { to: '/staff', label: 'Staff', icon: IconUserShield, permission: 'staff:manage' },
  { to: '/tokens', label: 'API tokens', icon: IconKey, permission: 'tokens:manage' },
  { to: '/audit', label: 'Audit log', icon: IconHistory, permission: 'audit:read' },
  { to: '/settings', label: 'Settings', icon: IconSettings },
];

/** The back office frame: header, navigation, and the page. */
export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure();
  const { pathname } = useLocation();
  const { session, can } = useSession();
  const settings = useSettings();
  // Before the page renders below: its dates are on the business's clock.
  if (settings.data) setDisplayTimeZone(settings.data.timeZone);

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
          <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
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
            <Text size="sm" c="dimmed" visibleFrom="xs" aria-hidden>
              /
            </Text>
            <Text size="sm" fw={500} truncate maw={320} visibleFrom="xs">
              {settings.data?.businessName ?? session.merchant.name}
            </Text>
          </Group>
          <UserMenu />
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" aria-label="Main">
        <AppShell.Section grow>
          {NAVIGATION.filter((item) => !item.permission || can(item.permission)).map((item) => (
            <NavLink
              key={item.to}
              component={Link}
              to={item.to}
              label={item.label}
              leftSection={<item.icon size={item.nested ? 16 : 18} stroke={1.6} />}
              active={pathname === item.to || pathname.startsWith(`${item.to}/`)}
              variant="light"
              fw={500}
              style={{ borderRadius: 'var(--mantine-radius-md)' }}
              mb={4}
              pl={item.nested ? 36 : undefined}
              fz={item.nested ? 'sm' : undefined}
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
        {/* The page waits for the settings (one small request): its dates are on the business's clock from the
            first paint, and a page does not render again when they arrive. */}
        {settings.isPending ? (
          <Center py={80}>
            <Loader size="sm" aria-label="Loading" />
          </Center>
        ) : (
          <Outlet />
        )}
      </AppShell.Main>
    </AppShell>
  );
}

/** Who is signed in, with what they can do about their own account. */
function UserMenu() {
  const { session, signOut } = useSession();
  const [passwordOpen, password] = useDisclosure();
  const { actor } = session;
  const role = actor.role ? ROLE_LABELS[actor.role] : null;

  return (
    <>
      <Menu position="bottom-end" width={240} shadow="md">
        <Menu.Target>
          <UnstyledButton aria-label={`Account: ${actor.name}`} px={6} py={4} style={{ borderRadius: 8 }}>
            <Group gap={8} wrap="nowrap">
              <Avatar size={30} radius="xl" color="initials" name={actor.name}>
                {personInitials(actor.name)}
              </Avatar>
              <Stack gap={0} visibleFrom="sm" style={{ minWidth: 0 }}>
                <Text size="sm" fw={500} lh={1.2} truncate maw={180}>
                  {actor.name}
                </Text>
                {role ? (
                  <Text size="xs" c="dimmed" lh={1.2}>
                    {role}
                  </Text>
                ) : null}
              </Stack>
              <IconChevronDown size={14} stroke={1.6} />
            </Group>
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>
            <Text size="sm" fw={600} c="var(--mantine-color-text)" truncate>
              {actor.name}
            </Text>
            <Text size="xs" c="dimmed" truncate>
              {actor.email}
            </Text>
            {role ? (
              <Text size="xs" c="dimmed">
                {role} at {session.merchant.name}
              </Text>
            ) : null}
          </Menu.Label>
          <Menu.Divider />
          <Menu.Item leftSection={<IconLock size={16} />} onClick={password.open}>
            Change password
          </Menu.Item>
          <Menu.Item leftSection={<IconLogout size={16} />} onClick={() => void signOut()}>
            Sign out
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <Modal opened={passwordOpen} onClose={password.close} title="Change your password" centered>
        <Text size="sm" c="dimmed" mb="md">
          You stay signed in here; anywhere else you are signed in, you will need the new password.
        </Text>
        <ChangePasswordForm
          submitLabel="Change password"
          onCancel={password.close}
          onChanged={() => {
            password.close();
            notifications.show({
              color: 'teal',
              title: 'Password changed',
              message: 'Other places you were signed in have been signed out.',
            });
          }}
        />
      </Modal>
    </>
  );
}
