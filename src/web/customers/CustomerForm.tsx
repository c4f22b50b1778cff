import {
  Button,
  Checkbox,
  Collapse,
  Fieldset,
  Group,
  Input,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { type FormEvent, type ReactNode, type RefObject, useMemo } from 'react';
import { Link } from 'react-router';
import { LIMITS } from '../../features/customers/customer.schema.ts';
import type { Settings } from '../../features/settings/settings.schema.ts';
import { useCustomerGroups } from '../api/groups.ts';
import { useCan } from '../auth/session.tsx';
import { COUNTRY_OPTIONS } from '../lib/countries.ts';
import { Section } from '../ui/Section.tsx';
import { StableSelect } from '../ui/StableSelect.tsx';
import { ADDRESS_LABELS, type CustomerFormValues } from './customer-form-values.ts';

export type CustomerFormApi = UseFormReturnType<CustomerFormValues>;

interface CustomerFormProps {
  form: CustomerFormApi;
  formRef: RefObject<HTMLFormElement | null>;
  settings: Settings | undefined;
  /** The customer's group; new customers join the default group. */
  groupName: string | undefined;
  /** Alerts above the fields: errors that belong to no field, or a conflict. */
  banner?: ReactNode;
  saving: boolean;
  cancelTo: string;
  onSubmit: (event?: FormEvent<HTMLFormElement>) => void;
}

const DAYS = Array.from({ length: 31 }, (_, index) => ({
  value: String(index + 1).padStart(2, '0'),
  label: String(index + 1),
}));

const monthName = new Intl.DateTimeFormat(undefined, { month: 'long', timeZone: 'UTC' });
const MONTHS = Array.from({ length: 12 }, (_, index) => ({
  value: String(index + 1).padStart(2, '0'),
  label: monthName.format(new Date(Date.UTC(2000, index, 1))),
}));

/** Every field of a customer, grouped in the order a person fills them in. */
export function CustomerForm({
  form,
  formRef,
  settings,
  groupName,
  banner,
  saving,
  cancelTo,
  onSubmit,
}: CustomerFormProps) {
  const text = (path: keyof CustomerFormValues | `${'physicalAddress' | 'postalAddress'}.${string}`) =>
    form.getInputProps(path);

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate>
      <Stack gap="lg">
        {banner}

        <Section title="Name & contact" description="At least a name, an email or a phone number.">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
            <TextInput
              label="First name"
              autoComplete="off"
              maxLength={LIMITS.name}
              withAsterisk={settings?.requireFirstName}
              aria-required={settings?.requireFirstName || undefined}
              {...text('firstName')}
            />
            <TextInput
              label="Last name"
              autoComplete="off"
              maxLength={LIMITS.name}
              withAsterisk={settings?.requireLastName}
              aria-required={settings?.requireLastName || undefined}
              {...text('lastName')}
            />
            <TextInput label="Company" autoComplete="off" maxLength={LIMITS.company} {...text('companyName')} />
            <TextInput
              label="Email"
              type="email"
              autoComplete="off"
              maxLength={LIMITS.email}
              withAsterisk={settings?.requireEmail}
              aria-required={settings?.requireEmail || undefined}
              {...text('email')}
            />
            <TextInput label="Phone" type="tel" autoComplete="off" maxLength={LIMITS.phone} {...text('phone')} />
            <TextInput label="Mobile" type="tel" autoComplete="off" maxLength={LIMITS.phone} {...text('mobile')} />
          </SimpleGrid>
        </Section>

        <Section title="Customer code & group">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
            <TextInput
              label="Customer code"
              description="Barcode or loyalty card number. Left blank, one is generated."
              maxLength={LIMITS.code}
              autoComplete="off"
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              {...text('code')}
            />
            <GroupField form={form} groupName={groupName} />
          </SimpleGrid>
        </Section>

        <Section title="Addresses">
          <Stack gap="lg">
            <AddressFields form={form} kind="physicalAddress" legend="Physical address" />
            <Checkbox
              label="Postal address is the same as the physical address"
              {...form.getInputProps('postalSameAsPhysical', { type: 'checkbox' })}
            />
            <Collapse expanded={!form.values.postalSameAsPhysical} keepMounted={false}>
              <AddressFields form={form} kind="postalAddress" legend="Postal address" />
            </Collapse>
          </Stack>
        </Section>

        <Section title="Marketing & loyalty" description="Record only what the customer agreed to.">
          <Stack gap="md">
            <Switch
              label="Email marketing"
              description="Agreed to receive marketing email"
              {...form.getInputProps('emailMarketing', { type: 'checkbox' })}
            />
            <Switch
              label="SMS marketing"
              description="Agreed to receive marketing text messages"
              {...form.getInputProps('smsMarketing', { type: 'checkbox' })}
            />
            <Switch
              label="Loyalty program"
              description="Opted in to collect loyalty rewards"
              {...form.getInputProps('loyaltyOptIn', { type: 'checkbox' })}
            />
          </Stack>
        </Section>

        <Section title="Tax">
          <Stack gap="md">
            <Switch
              label="Tax exempt"
              description="Sales to this customer are made without sales tax"
              {...form.getInputProps('taxExempt', { type: 'checkbox' })}
            />
            {form.values.taxExempt ? (
              <TextInput
                label="Sales tax number"
                description="The exemption certificate or tax registration number"
                maxLength={LIMITS.taxNumber}
                withAsterisk
                maw={400}
                {...text('salesTaxNumber')}
              />
            ) : null}
          </Stack>
        </Section>

        <Section title="More">
          <Stack gap="sm">
            <Input.Wrapper
              label="Date of birth"
              labelElement="div"
              description="Leave the year empty when you only know the birthday."
              error={form.errors.dateOfBirth}
              id="date-of-birth"
            >
              <Group gap="xs" mt={4} wrap="nowrap" maw={400}>
                <StableSelect
                  aria-label="Birth day"
                  placeholder="Day"
                  data={DAYS}
                  clearable
                  searchable
                  w={90}
                  error={Boolean(form.errors.dateOfBirth)}
                  {...birthPart(form, 'birthDay')}
                />
                <StableSelect
                  aria-label="Birth month"
                  placeholder="Month"
                  data={MONTHS}
                  clearable
                  searchable
                  style={{ flex: 1 }}
                  error={Boolean(form.errors.dateOfBirth)}
                  {...birthPart(form, 'birthMonth')}
                />
                <TextInput
                  aria-label="Birth year"
                  placeholder="Year"
                  inputMode="numeric"
                  maxLength={4}
                  w={90}
                  error={Boolean(form.errors.dateOfBirth)}
                  {...birthPart(form, 'birthYear')}
                />
              </Group>
            </Input.Wrapper>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
              <TextInput
                label="Website"
                placeholder="example.com"
                maxLength={LIMITS.website}
                autoComplete="off"
                {...text('website')}
              />
              <TextInput
                label="Twitter"
                placeholder="@handle"
                maxLength={LIMITS.twitter}
                autoComplete="off"
                {...text('twitter')}
              />
            </SimpleGrid>
          </Stack>
        </Section>

        <Section
          title="Profile note"
          description="Shown at the top of the customer page. For dated notes, use the notes timeline."
        >
          <Textarea
            aria-label="Profile note"
            autosize
            minRows={3}
            maxRows={12}
            maxLength={LIMITS.note}
            placeholder="Preferences, sizes, allergies…"
            {...text('note')}
          />
        </Section>
      </Stack>

      <Group className="form-actions" justify="flex-end" gap="sm" py="md" mt="lg">
        <Text size="sm" c="dimmed" mr="auto" visibleFrom="sm">
          {form.isDirty() ? 'Unsaved changes' : null}
        </Text>
        <Button variant="default" component={Link} to={cancelTo}>
          Cancel
        </Button>
        <Button type="submit" loading={saving}>
          Save customer
        </Button>
      </Group>
    </form>
  );
}

/** A part of the birthday; editing any part clears the error shown for the date as a whole. */
function birthPart(form: CustomerFormApi, path: 'birthDay' | 'birthMonth' | 'birthYear') {
  const props = form.getInputProps(path);
  return {
    value: props.value,
    onChange: (value: unknown) => {
      props.onChange(value);
      form.clearFieldError('dateOfBirth');
    },
  };
}

function AddressFields({
  form,
  kind,
  legend,
}: {
  form: CustomerFormApi;
  kind: 'physicalAddress' | 'postalAddress';
  legend: string;
}) {
  const props = (part: string) => form.getInputProps(`${kind}.${part}`);
  return (
    <Fieldset
      legend={legend}
      variant="unstyled"
      styles={{ root: { border: 0, margin: 0, padding: 0 }, legend: { fontWeight: 600, marginBottom: 8, padding: 0 } }}
    >
      <Stack gap="sm">
        <TextInput label={ADDRESS_LABELS.line1} maxLength={LIMITS.addressLine} autoComplete="off" {...props('line1')} />
        <TextInput label={ADDRESS_LABELS.line2} maxLength={LIMITS.addressLine} autoComplete="off" {...props('line2')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
          <TextInput
            label={ADDRESS_LABELS.suburb}
            maxLength={LIMITS.addressPart}
            autoComplete="off"
            {...props('suburb')}
          />
          <TextInput label={ADDRESS_LABELS.city} maxLength={LIMITS.addressPart} autoComplete="off" {...props('city')} />
          <TextInput
            label={ADDRESS_LABELS.state}
            maxLength={LIMITS.addressPart}
            autoComplete="off"
            {...props('state')}
          />
          <TextInput
            label={ADDRESS_LABELS.postcode}
            maxLength={LIMITS.postcode}
            autoComplete="off"
            {...props('postcode')}
          />
          <StableSelect
            label={ADDRESS_LABELS.country}
            placeholder="Choose a country"
            data={COUNTRY_OPTIONS}
            searchable
            clearable
            nothingFoundMessage="No country by that name"
            limit={300}
            {...props('country')}
          />
        </SimpleGrid>
      </Stack>
    </Fieldset>
  );
}

/**
 * The customer's group, chosen from the merchant's groups by those who manage groups (a group may carry a discount
 * at the till); shown to everyone else. Until one is chosen, a new customer shows the default group.
 */
function GroupField({ form, groupName }: { form: CustomerFormApi; groupName: string | undefined }) {
  const canChoose = useCan('groups:manage');
  const groups = useCustomerGroups();
  const options = useMemo(
    () => (groups.data ?? []).map((group) => ({ value: group.id, label: group.name })),
    [groups.data],
  );
  const fallback = groups.data?.find((group) => group.isDefault);
  const chosen = form.values.groupId || fallback?.id || null;
  if (!canChoose) {
    const name = groups.data?.find((group) => group.id === chosen)?.name ?? groupName ?? fallback?.name;
    return (
      <TextInput
        label="Customer group"
        description="A manager can move the customer to another group."
        value={name ?? 'All Customers'}
        readOnly
        variant="filled"
      />
    );
  }
  return (
    <StableSelect
      label="Customer group"
      description={
        groupName === undefined
          ? 'New customers join the default group unless you choose another.'
          : 'The group the customer belongs to.'
      }
      data={options}
      value={chosen}
      onChange={(value) => form.setFieldValue('groupId', value ?? '')}
      allowDeselect={false}
      searchable={options.length > 8}
      nothingFoundMessage="No group by that name"
      placeholder={groups.isPending ? 'Loading groups…' : undefined}
      error={form.errors.groupId}
    />
  );
}
