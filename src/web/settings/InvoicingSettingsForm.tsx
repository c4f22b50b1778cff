import { Alert, Button, Group, NumberInput, Paper, SimpleGrid, Skeleton, Stack, Switch, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconInfoCircle, IconLock } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import type { Settings, SettingsUpdate } from '../../features/settings/settings.schema.ts';
import { problemOf } from '../api/http.ts';
import { useSettings, useUpdateSettings } from '../api/settings.ts';
import { useCan } from '../auth/session.tsx';
import { focusFirstError, splitFieldErrors } from '../lib/form-errors.ts';
import { plural } from '../lib/format.ts';
import { currencySymbol, minorDigits, toMajor, toMinor, useMoney } from '../lib/money.ts';
import { LeaveGuard } from '../ui/LeaveGuard.tsx';
import { LoadError } from '../ui/LoadError.tsx';
import { Section } from '../ui/Section.tsx';

interface InvoicingFormValues {
  enabled: boolean;
  termsDays: number | string;
  /** In major units, as a person types money; empty: no limit. */
  creditLimit: number | string;
}

/** The server's field names, and the form's. */
const FIELD_OF: Record<string, keyof InvoicingFormValues> = {
  invoicingEnabled: 'enabled',
  paymentTermsDays: 'termsDays',
  defaultCreditLimit: 'creditLimit',
};

/** The most a limit may be: the server's, in minor units. */
const LIMIT_MAX = 1e12;

function toValues(settings: Settings): InvoicingFormValues {
  return {
    enabled: settings.invoicingEnabled,
    termsDays: settings.paymentTermsDays,
    creditLimit: settings.defaultCreditLimit === null ? '' : toMajor(settings.defaultCreditLimit, settings.currency),
  };
}

function toUpdate(values: InvoicingFormValues, currency: string): SettingsUpdate {
  return {
    invoicingEnabled: values.enabled,
    paymentTermsDays: Number(values.termsDays),
    defaultCreditLimit: values.creditLimit === '' ? null : toMinor(Number(values.creditLimit), currency),
  };
}

/** Settings → Invoicing: whether sales can go on a customer's account, when invoices fall due, and how much a customer may owe. */
export function InvoicingSettingsPanel() {
  const settings = useSettings();
  if (settings.isPending) return <Skeleton h={360} />;
  if (settings.isError) return <LoadError error={settings.error} onRetry={() => settings.refetch()} what="settings" />;
  return <InvoicingSettingsForm settings={settings.data} />;
}

function InvoicingSettingsForm({ settings }: { settings: Settings }) {
  const update = useUpdateSettings();
  const canManage = useCan('settings:manage');
  const money = useMoney();
  const { currency } = settings;
  const formRef = useRef<HTMLFormElement>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<InvoicingFormValues>({
    mode: 'controlled',
    initialValues: toValues(settings),
    validate: {
      termsDays: (value) => {
        const n = Number(value);
        return value !== '' && Number.isInteger(n) && n >= 0 && n <= 365
          ? null
          : 'Must be a whole number of days, from 0 to 365';
      },
      creditLimit: (value) => {
        if (value === '') return null;
        const minor = toMinor(Number(value), currency);
        if (!(minor >= 0)) return 'Must not be negative';
        return minor > LIMIT_MAX ? 'Is too large' : null;
      },
    },
  });

  const save = form.onSubmit(
    (values) => {
      setFailure(null);
      update.mutate(toUpdate(values, currency), {
        onSuccess: (saved) => {
          const next = toValues(saved);
          form.setValues(next);
          form.resetDirty(next);
          notifications.show({
            color: 'teal',
            title: 'Invoicing settings saved',
            message: saved.invoicingEnabled
              ? 'The till offers “On account” for customers from now on.'
              : 'Invoicing is off: the till no longer offers “On account”. Open invoices can still be paid.',
          });
        },
        onError: (error) => {
          const problem = problemOf(error);
          const { byField, unplaced } = splitFieldErrors(problem, (field) => field in FIELD_OF);
          form.setErrors(
            Object.fromEntries(Object.entries(byField).map(([field, message]) => [FIELD_OF[field], message])),
          );
          setFailure(
            unplaced.length > 0
              ? unplaced.map((item) => `${item.field}: ${item.message}`).join(' ')
              : Object.keys(byField).length === 0
                ? (problem.detail ?? problem.title)
                : null,
          );
          requestAnimationFrame(() => focusFirstError(formRef.current));
        },
      });
    },
    () => requestAnimationFrame(() => focusFirstError(formRef.current)),
  );

  const { values } = form;

  return (
    <form ref={formRef} onSubmit={save} noValidate>
      <LeaveGuard dirty={() => form.isDirty()} what="the invoicing settings" />
      <fieldset disabled={!canManage} className="plain-fieldset">
        <Stack gap="lg">
          {canManage ? null : (
            <Alert color="gray" variant="light" icon={<IconLock />}>
              Only the owner or an admin can change these settings.
            </Alert>
          )}
          {failure ? (
            <Alert color="red" variant="light" icon={<IconAlertCircle />} title="Nothing was saved" role="alert">
              {failure}
            </Alert>
          ) : null}

          <Section
            title="Sales on account"
            description="Trusted customers take their goods now and pay later: the till puts the sale on their account and opens an invoice, which they settle in one go or in parts."
          >
            <Stack gap="md">
              <Switch
                label="Customers can buy on account"
                description="Off: the till does not offer “On account”. Invoices already open can still be paid."
                {...form.getInputProps('enabled', { type: 'checkbox' })}
              />
              <Summary values={values} currency={currency} format={money.format} />
            </Stack>
          </Section>

          <Section title="Terms and credit limit">
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
              <NumberInput
                label="Payment terms"
                description="Days from the sale to the invoice’s due date. 0: due on the day."
                withAsterisk={canManage}
                min={0}
                max={365}
                // Out of range is said at the field, never quietly changed to the nearest allowed value.
                clampBehavior="none"
                allowDecimal={false}
                allowNegative={false}
                hideControls
                rightSection={
                  <Text size="sm" c="dimmed" pr="sm">
                    days
                  </Text>
                }
                rightSectionWidth={56}
                {...form.getInputProps('termsDays')}
              />
              <NumberInput
                label="Default credit limit"
                description="The most a customer may owe. Empty: no limit."
                placeholder="No limit"
                decimalScale={minorDigits(currency)}
                fixedDecimalScale
                thousandSeparator=","
                allowNegative={false}
                hideControls
                leftSection={<Text c="dimmed">{currencySymbol(currency)}</Text>}
                {...form.getInputProps('creditLimit')}
              />
            </SimpleGrid>
          </Section>

          {canManage ? (
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={() => form.reset()} disabled={!form.isDirty()}>
                Discard changes
              </Button>
              <Button type="submit" loading={update.isPending}>
                Save invoicing settings
              </Button>
            </Group>
          ) : null}
        </Stack>
      </fieldset>
    </form>
  );
}

/**
 * The rules in a paragraph, as a manager would put them: "A sale on account opens an invoice due 30 days later.
 * A customer may owe up to £500.00, unless their own record says otherwise."
 */
function Summary({
  values,
  currency,
  format,
}: {
  values: InvoicingFormValues;
  currency: string;
  format(minor: number): string;
}) {
  const days = Number(values.termsDays);
  const termsKnown = values.termsDays !== '' && Number.isInteger(days) && days >= 0 && days <= 365;
  const limit = values.creditLimit === '' ? null : toMinor(Number(values.creditLimit), currency);
  const sentences = [
    termsKnown
      ? days === 0
        ? 'A sale on account opens an invoice due on the day of the sale.'
        : `A sale on account opens an invoice due ${plural(days, 'day')} after the sale.`
      : null,
    limit === null
      ? 'Customers may owe any amount, unless their own record sets a limit.'
      : limit === 0
        ? 'Only customers whose own record sets a credit limit can buy on account.'
        : `A customer may owe up to ${format(limit)}, unless their own record sets another limit.`,
    'Past the limit, only a manager can let a sale through, saying why.',
  ].filter(Boolean);
  return (
    <Paper p="sm" bg={values.enabled ? 'indigo.0' : 'gray.0'} withBorder={false} aria-live="polite">
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <IconInfoCircle size={18} style={{ flexShrink: 0, marginTop: 2 }} />
        <Text size="sm">
          {values.enabled ? null : <strong>Invoicing is off. When it is on: </strong>}
          {sentences.join(' ')}
        </Text>
      </Group>
    </Paper>
  );
}
