import {
  Alert,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  Radio,
  SimpleGrid,
  Skeleton,
  Stack,
  Switch,
  Text,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconInfoCircle, IconLock } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { PAYMENT_METHODS } from '../../features/sales/sale.schema.ts';
import type { Settings, SettingsUpdate } from '../../features/settings/settings.schema.ts';
import { problemOf } from '../api/http.ts';
import { useSettings, useUpdateSettings } from '../api/settings.ts';
import { useCan } from '../auth/session.tsx';
import { focusFirstError, splitFieldErrors } from '../lib/form-errors.ts';
import { currencySymbol, minorDigits, toMajor, toMinor, useMoney } from '../lib/money.ts';
import { PAYMENT_LABELS, type PaymentMethod } from '../sales/sale-format.ts';
import { LeaveGuard } from '../ui/LeaveGuard.tsx';
import { LoadError } from '../ui/LoadError.tsx';
import { Section } from '../ui/Section.tsx';

interface LoyaltyFormValues {
  enabled: boolean;
  pointsPerUnit: number | string;
  /** In major units, as a person types money: 0.01 for a penny. */
  pointValue: number | string;
  earningMethods: PaymentMethod[];
  expires: 'never' | 'after';
  expiryMonths: number | string;
}

/** The server's field names, and the form's. */
const FIELD_OF: Record<string, keyof LoyaltyFormValues> = {
  loyaltyEnabled: 'enabled',
  loyaltyPointsPerUnit: 'pointsPerUnit',
  loyaltyPointValue: 'pointValue',
  loyaltyEarningMethods: 'earningMethods',
  loyaltyExpiryMonths: 'expiryMonths',
};

function toValues(settings: Settings): LoyaltyFormValues {
  return {
    enabled: settings.loyaltyEnabled,
    pointsPerUnit: settings.loyaltyPointsPerUnit,
    pointValue: toMajor(settings.loyaltyPointValue, settings.currency),
    earningMethods: settings.loyaltyEarningMethods,
    expires: settings.loyaltyExpiryMonths === null ? 'never' : 'after',
    expiryMonths: settings.loyaltyExpiryMonths ?? 12,
  };
}

function toUpdate(values: LoyaltyFormValues, currency: string): SettingsUpdate {
  return {
    loyaltyEnabled: values.enabled,
    loyaltyPointsPerUnit: Number(values.pointsPerUnit),
    loyaltyPointValue: toMinor(Number(values.pointValue), currency),
    // In the order the API lists them, whatever order they were ticked in.
    loyaltyEarningMethods: PAYMENT_METHODS.filter((method) => values.earningMethods.includes(method)),
    loyaltyExpiryMonths: values.expires === 'never' ? null : Number(values.expiryMonths),
  };
}

/** Settings → Loyalty: whether customers earn points, how many, what a point is worth, and when points lapse. */
export function LoyaltySettingsPanel() {
  const settings = useSettings();
  if (settings.isPending) return <Skeleton h={420} />;
  if (settings.isError) return <LoadError error={settings.error} onRetry={() => settings.refetch()} what="settings" />;
  return <LoyaltySettingsForm settings={settings.data} />;
}

function LoyaltySettingsForm({ settings }: { settings: Settings }) {
  const update = useUpdateSettings();
  const canManage = useCan('settings:manage');
  const money = useMoney();
  const { currency } = settings;
  const unit = 10 ** minorDigits(currency);
  const formRef = useRef<HTMLFormElement>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<LoyaltyFormValues>({
    mode: 'controlled',
    initialValues: toValues(settings),
    validate: {
      pointsPerUnit: (value) => {
        if (value === '') return 'Enter how many points a unit of money earns (0 earns none)';
        const n = Number(value);
        if (!(n >= 0)) return 'Must not be negative';
        if (n > 1000) return 'Must be at most 1000';
        return Math.abs(n * 100 - Math.round(n * 100)) < 1e-9 ? null : 'At most two decimals';
      },
      pointValue: (value) => {
        if (value === '') return 'Enter what one point is worth';
        const minor = toMinor(Number(value), currency);
        if (minor < 1) return `Must be at least ${money.format(1)}`;
        return minor > 1_000_000 ? 'Is too large' : null;
      },
      expiryMonths: (value, values) => {
        if (values.expires === 'never') return null;
        const n = Number(value);
        return value !== '' && Number.isInteger(n) && n >= 1 && n <= 120
          ? null
          : 'Must be a whole number of months, from 1 to 120';
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
            title: 'Loyalty settings saved',
            message: saved.loyaltyEnabled
              ? 'Sales from now on earn points by these rules.'
              : 'Loyalty is off: sales earn no points. Customers can still spend the points they have.',
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
  const symbol = currencySymbol(currency);

  return (
    <form ref={formRef} onSubmit={save} noValidate>
      <LeaveGuard dirty={() => form.isDirty()} what="the loyalty settings" />
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
            title="Loyalty program"
            description="Customers who joined the program (“In the loyalty program” on their record) earn points on what they buy, and spend them as a payment at the till."
          >
            <Stack gap="md">
              <Switch
                label="Customers earn loyalty points"
                description="Off: no sale earns points. Points already earned can still be spent."
                {...form.getInputProps('enabled', { type: 'checkbox' })}
              />
              <Summary values={values} currency={currency} format={money.format} unit={unit} />
            </Stack>
          </Section>

          <Section title="Earning and spending">
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
              <NumberInput
                label={`Points earned per ${wholeUnit(currency)} spent`}
                description={`Rounded down to whole points. 0.5 is a point per ${wholeUnit(currency, 2)}.`}
                withAsterisk={canManage}
                min={0}
                max={1000}
                decimalScale={2}
                allowNegative={false}
                hideControls
                {...form.getInputProps('pointsPerUnit')}
              />
              <NumberInput
                label="Value of one point"
                description="What a point pays when a customer spends it."
                withAsterisk={canManage}
                decimalScale={minorDigits(currency)}
                fixedDecimalScale
                allowNegative={false}
                hideControls
                leftSection={<Text c="dimmed">{symbol}</Text>}
                {...form.getInputProps('pointValue')}
              />
            </SimpleGrid>
            <Checkbox.Group
              mt="lg"
              label="Payments that earn points"
              description="Only what is paid these ways earns. Paying with points or store credit usually earns nothing."
              {...form.getInputProps('earningMethods')}
            >
              <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs" mt="xs">
                {PAYMENT_METHODS.map((method) => (
                  <Checkbox key={method} value={method} label={PAYMENT_LABELS[method]} />
                ))}
              </SimpleGrid>
            </Checkbox.Group>
          </Section>

          <Section title="Expiry" description="Unspent points can lapse some time after they were earned.">
            <Radio.Group {...form.getInputProps('expires')} aria-label="When points expire">
              <Stack gap="sm">
                <Radio value="never" label="Points never expire" />
                <Group gap="sm" align="flex-start" wrap="nowrap">
                  <Radio value="after" label="Points expire after" mt={8} />
                  <NumberInput
                    aria-label="Months until points expire"
                    w={90}
                    min={1}
                    max={120}
                    allowDecimal={false}
                    allowNegative={false}
                    disabled={values.expires === 'never' || !canManage}
                    {...form.getInputProps('expiryMonths')}
                  />
                  <Text size="sm" mt={8}>
                    months
                  </Text>
                </Group>
                <Text size="xs" c="dimmed">
                  Counted from the day they were earned. The oldest points are spent first, so only points left unspent
                  lapse.
                </Text>
              </Stack>
            </Radio.Group>
          </Section>

          {canManage ? (
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={() => form.reset()} disabled={!form.isDirty()}>
                Discard changes
              </Button>
              <Button type="submit" loading={update.isPending}>
                Save loyalty settings
              </Button>
            </Group>
          ) : null}
        </Stack>
      </fieldset>
    </form>
  );
}

/** Whole units of the currency, without decimals: "£1", "¥1", "1 €". */
function wholeUnit(currency: string, count = 1): string {
  return new Intl.NumberFormat(undefined, {
    style: 'currency',
    currency,
    minimumFractionDigits: 0,
    maximumFractionDigits: 0,
  }).format(count);
}

/**
 * The rules in one paragraph, as a manager would explain them to a customer: "Customers earn 1 point for every
 * £1 spent; 100 points are worth £1.00 (1% back)."
 */
function Summary({
  values,
  currency,
  format,
  unit,
}: {
  values: LoyaltyFormValues;
  currency: string;
  format(minor: number): string;
  unit: number;
}) {
  const perUnit = Number(values.pointsPerUnit);
  const pointValue = toMinor(Number(values.pointValue), currency);
  if (values.pointsPerUnit === '' || values.pointValue === '' || !(perUnit >= 0) || !(pointValue >= 1)) return null;
  const count = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
  const whole = wholeUnit(currency);
  const back = (perUnit * pointValue * 100) / unit;
  const example = 25 * unit;
  const earned = Math.floor((perUnit * example) / unit);
  const { earningMethods } = values;
  const paidBy = earningMethods.includes('card') ? 'card' : earningMethods[0];
  const sentences = [
    perUnit === 0
      ? 'Customers earn no points on what they spend.'
      : `Customers earn ${count.format(perUnit)} ${perUnit === 1 ? 'point' : 'points'} for every ${whole} spent; 100 points are worth ${format(100 * pointValue)}${back > 0 ? ` (${count.format(back)}% back)` : ''}.`,
    perUnit === 0
      ? null
      : paidBy === undefined
        ? 'No payment earns points: tick at least one way of paying below.'
        : `A ${format(example)} sale paid by ${PAYMENT_LABELS[paidBy].toLowerCase()} earns ${count.format(earned)} ${
            earned === 1 ? 'point' : 'points'
          }.`,
    values.expires === 'never'
      ? 'Points never expire.'
      : `Points not spent within ${values.expiryMonths} ${Number(values.expiryMonths) === 1 ? 'month' : 'months'} of being earned expire.`,
  ].filter(Boolean);
  return (
    <Paper p="sm" bg={values.enabled ? 'indigo.0' : 'gray.0'} withBorder={false} aria-live="polite">
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <IconInfoCircle size={18} style={{ flexShrink: 0, marginTop: 2 }} />
        <Text size="sm">
          {values.enabled ? null : <strong>Loyalty is off. When it is on: </strong>}
          {sentences.join(' ')}
        </Text>
      </Group>
    </Paper>
  );
}
