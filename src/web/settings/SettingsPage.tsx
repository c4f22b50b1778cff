import {
  Alert,
  Button,
  Container,
  Group,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Switch,
  Tabs,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconBuildingStore, IconFileInvoice, IconHeartHandshake, IconLock, IconMail } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import {
  CASH_ROUNDINGS,
  type CashRounding,
  type Settings,
  type SettingsUpdate,
} from '../../features/settings/settings.schema.ts';
import { formatMoney } from '../../shared/money.ts';
import { problemOf } from '../api/http.ts';
import { useSettings, useUpdateSettings } from '../api/settings.ts';
import { useCan } from '../auth/session.tsx';
import { type SaveFailure, SaveFailureAlert } from '../customers/save-errors.tsx';
import { focusFirstError, splitFieldErrors } from '../lib/form-errors.ts';
import { LeaveGuard } from '../ui/LeaveGuard.tsx';
import { LoadError } from '../ui/LoadError.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { Section } from '../ui/Section.tsx';
import { usePageTitle } from '../ui/usePageTitle.ts';
import { EmailSettingsPanel } from './EmailSettingsForm.tsx';
import { InvoicingSettingsPanel } from './InvoicingSettingsForm.tsx';
import { LocaleSelect } from './LocaleSelect.tsx';
import { LoyaltySettingsPanel } from './LoyaltySettingsForm.tsx';

type SettingsSection = 'general' | 'loyalty' | 'invoicing' | 'email';

const SECTION_PATHS: Record<SettingsSection, string> = {
  general: '/settings',
  loyalty: '/settings/loyalty',
  invoicing: '/settings/invoicing',
  email: '/settings/email',
};

const SECTION_DESCRIPTIONS: Record<SettingsSection, string> = {
  general: 'How your business appears, and what every customer record must have.',
  loyalty: 'How customers earn loyalty points, what the points are worth, and when they lapse.',
  invoicing: 'Whether customers can buy on account, when their invoices fall due, and how much they may owe.',
  email: 'The mail server that receipts, invoices and statements are emailed through.',
};

const SECTION_TITLES: Record<SettingsSection, string | undefined> = {
  general: undefined,
  loyalty: 'Loyalty',
  invoicing: 'Invoicing',
  email: 'Email',
};

/**
 * Settings, one tab at a time: the business, the loyalty program and invoicing for everyone to see (only those who
 * manage settings change them); email for those who manage settings.
 */
export function SettingsPage({ section = 'general' }: { section?: SettingsSection }) {
  usePageTitle(SECTION_TITLES[section], 'Settings');
  const navigate = useNavigate();
  const canManage = useCan('settings:manage');
  return (
    <Container size={860} px={0}>
      <PageHeader title="Settings" description={SECTION_DESCRIPTIONS[section]} />
      <Tabs value={section} onChange={(value) => void navigate(SECTION_PATHS[value as SettingsSection])} mb="lg">
        <Tabs.List>
          <Tabs.Tab value="general" leftSection={<IconBuildingStore size={16} />}>
            Business
          </Tabs.Tab>
          <Tabs.Tab value="loyalty" leftSection={<IconHeartHandshake size={16} />}>
            Loyalty
          </Tabs.Tab>
          <Tabs.Tab value="invoicing" leftSection={<IconFileInvoice size={16} />}>
            Invoicing
          </Tabs.Tab>
          {canManage ? (
            <Tabs.Tab value="email" leftSection={<IconMail size={16} />}>
              Email
            </Tabs.Tab>
          ) : null}
        </Tabs.List>
      </Tabs>
      {section === 'loyalty' ? (
        <LoyaltySettingsPanel />
      ) : section === 'invoicing' ? (
        <InvoicingSettingsPanel />
      ) : section === 'email' ? (
        canManage ? (
          <EmailSettingsPanel />
        ) : (
          <Alert color="gray" variant="light" icon={<IconLock />}>
            Only the owner or an admin can see and change the email settings.
          </Alert>
        )
      ) : (
        <GeneralSettings />
      )}
    </Container>
  );
}

function GeneralSettings() {
  const settings = useSettings();
  if (settings.isPending) {
    return (
      <Stack>
        <Skeleton h={220} />
        <Skeleton h={180} />
      </Stack>
    );
  }
  if (settings.isError) return <LoadError error={settings.error} onRetry={() => settings.refetch()} what="settings" />;
  return <SettingsForm settings={settings.data} />;
}

const GENERAL_FIELDS = [
  'businessName',
  'currency',
  'defaultCountry',
  'timeZone',
  'requireFirstName',
  'requireLastName',
  'requireEmail',
  'cashRounding',
] as const satisfies readonly (keyof SettingsUpdate)[];

/** "To the nearest $0.05", in the currency being chosen. */
function cashRoundingOptions(currency: string) {
  return CASH_ROUNDINGS.map((step) => ({
    value: String(step),
    label: step === 0 ? 'No rounding' : `To the nearest ${formatMoney(step, currency)}`,
  }));
}
const FIELDS = new Set<string>(GENERAL_FIELDS);

/** Only what this tab shows: saving the business never sends (stale) values of the loyalty tab. */
function generalUpdate(values: Settings): SettingsUpdate {
  return Object.fromEntries(GENERAL_FIELDS.map((field) => [field, values[field]])) as SettingsUpdate;
}

function SettingsForm({ settings }: { settings: Settings }) {
  const update = useUpdateSettings();
  const formRef = useRef<HTMLFormElement>(null);
  const [failure, setFailure] = useState<SaveFailure | null>(null);
  const form = useForm<Settings>({ mode: 'controlled', initialValues: settings });
  const canManage = useCan('settings:manage');

  const save = form.onSubmit((values) => {
    setFailure(null);
    update.mutate(generalUpdate(values), {
      onSuccess: (saved) => {
        form.setValues(saved);
        form.resetDirty(saved);
        notifications.show({
          color: 'teal',
          title: 'Settings saved',
          message: 'New and edited customers follow them from now on.',
        });
      },
      onError: (error) => {
        const problem = problemOf(error);
        const { byField, unplaced } = splitFieldErrors(problem, (field) => FIELDS.has(field));
        form.setErrors(byField);
        setFailure({ problem, unplaced, placed: Object.keys(byField).length });
        requestAnimationFrame(() => focusFirstError(formRef.current));
      },
    });
  });

  return (
    <form ref={formRef} onSubmit={save} noValidate>
      <LeaveGuard dirty={() => form.isDirty()} what="the settings" />
      {/* Everyone sees the settings; only those who may change them get fields they can change. */}
      <fieldset disabled={!canManage} className="plain-fieldset">
        <Stack gap="lg">
          {canManage ? null : (
            <Alert color="gray" variant="light" icon={<IconLock />}>
              Only the owner or an admin can change these settings.
            </Alert>
          )}
          {failure ? <SaveFailureAlert failure={failure} /> : null}
          <Section title="Business">
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
              <TextInput
                label="Business name"
                withAsterisk={canManage}
                maxLength={200}
                {...form.getInputProps('businessName')}
              />
              <LocaleSelect
                kind="currency"
                label="Currency"
                description="Money is kept in this currency."
                {...form.getInputProps('currency')}
              />
              <LocaleSelect
                kind="country"
                label="Default country"
                description="Phone numbers without a country code are read as from here, unless the customer's address is in another country. Receipts, invoices and statements write dates and amounts as people here do."
                {...form.getInputProps('defaultCountry')}
              />
              <LocaleSelect
                kind="timeZone"
                label="Time zone"
                description="Where the business is, for opening hours and reports."
                {...form.getInputProps('timeZone')}
              />
              <Select
                label="Cash rounding"
                description="Where the smallest coins are gone, the Sell screen rounds what is paid in cash to the nearest coin (5 cents in Australia, 10 in New Zealand). Cards are never rounded."
                data={cashRoundingOptions(form.values.currency)}
                allowDeselect={false}
                {...form.getInputProps('cashRounding')}
                value={String(form.values.cashRounding)}
                onChange={(value) => form.setFieldValue('cashRounding', Number(value) as CashRounding)}
              />
            </SimpleGrid>
          </Section>

          <Section
            title="Required customer details"
            description="A customer cannot be saved without these, wherever it is created: here, at the register or through the API."
          >
            <Stack gap="md">
              <Switch label="Require first name" {...form.getInputProps('requireFirstName', { type: 'checkbox' })} />
              <Switch label="Require last name" {...form.getInputProps('requireLastName', { type: 'checkbox' })} />
              <Switch label="Require email" {...form.getInputProps('requireEmail', { type: 'checkbox' })} />
            </Stack>
          </Section>

          {canManage ? (
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={() => form.reset()} disabled={!form.isDirty()}>
                Discard changes
              </Button>
              <Button type="submit" loading={update.isPending}>
                Save settings
              </Button>
            </Group>
          ) : null}
        </Stack>
      </fieldset>
    </form>
  );
}
