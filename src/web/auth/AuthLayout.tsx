import { Box, Center, Group, Loader, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconReceipt2 } from '@tabler/icons-react';
import type { ReactNode } from 'react';

interface AuthLayoutProps {
  title: string;
  description?: ReactNode;
  /** Wider for a form with two columns, such as first-run setup. */
  width?: number;
  children: ReactNode;
  footer?: ReactNode;
}

/** The frame of the pages before the back office: sign-in, first run, a forced password change. */
export function AuthLayout({ title, description, width = 420, children, footer }: AuthLayoutProps) {
  return (
    <Center mih="100vh" p="md" component="main">
      <Box w="100%" maw={width}>
        <Group gap={8} justify="center" mb="lg" wrap="nowrap">
          <ThemeIcon size={34} radius="md" variant="filled">
            <IconReceipt2 size={20} stroke={1.8} />
          </ThemeIcon>
          <Text fw={700} fz={22}>
            Patron
          </Text>
        </Group>
        <Paper p={{ base: 'lg', sm: 'xl' }} shadow="xs">
          <Stack gap={4} mb="lg">
            <Title order={1} fz={22} lh={1.3}>
              {title}
            </Title>
            {description ? (
              <Text size="sm" c="dimmed">
                {description}
              </Text>
            ) : null}
          </Stack>
          {children}
        </Paper>
        {footer ? (
          <Text size="sm" c="dimmed" ta="center" mt="md">
            {footer}
          </Text>
        ) : null}
      </Box>
    </Center>
  );
}

/** While Patron finds out who is here. */
export function FullPageLoader() {
  return (
    <Center mih="100vh" aria-busy="true" aria-label="Loading Patron">
      <Stack align="center" gap="md">
        <ThemeIcon size={40} radius="md" variant="light">
          <IconReceipt2 size={22} stroke={1.8} />
        </ThemeIcon>
        <Loader size="sm" type="dots" />
      </Stack>
    </Center>
  );
}
