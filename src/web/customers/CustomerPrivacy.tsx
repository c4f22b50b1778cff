import { Alert, Button, Group, List, Modal, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconEraser, IconShieldLock } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import type { Customer } from '../../features/customers/customer.schema.ts';
import { personalDataUrl, useEraseCustomer } from '../api/customers.ts';
import { messageOf } from '../api/http.ts';
import { useCustomerAccount } from '../api/invoices.ts';
import { useMoney } from '../lib/money.ts';
import { Section } from '../ui/Section.tsx';

/** The word a person types to confirm an erasure: it cannot be undone. */
const CONFIRM_WORD = 'ERASE';

/**
 * Privacy requests (owners and admins): hand a customer everything held about them, or erase it. Erasing
 * keeps the books whole: the sales stay in reports under the record id, with no name.
 */
export function CustomerPrivacy({ customer, name }: { customer: Customer; name: string }) {
  const [opened, { open, close }] = useDisclosure(false);
  const erase = useEraseCustomer(customer.id);
  const money = useMoney();
  // What they owe on invoices blocks an erasure (the server refuses it): said as the dialog opens, not after.
  const account = useCustomerAccount(opened ? customer.id : undefined);
  const owes = account.data && account.data.balance > 0 ? account.data.balance : 0;
  const navigate = useNavigate();
  const form = useForm({
    mode: 'controlled',
    initialValues: { reason: '', confirm: '' },
    validate: {
      reason: (value) => (value.trim() ? null : 'Say why: for example the date and the way the customer asked'),
      confirm: (value) =>
        value.trim().toUpperCase() === CONFIRM_WORD
          ? null
          : `Type the word ${CONFIRM_WORD} here: erasing cannot be undone`,
    },
  });

  function closeModal() {
    form.reset();
    erase.reset();
    close();
  }

  const submit = form.onSubmit(({ reason }) =>
    erase.mutate(reason.trim(), {
      onSuccess: (erasure) => {
        notifications.show({
          color: 'teal',
          title: 'Personal data erased',
          message: `${name}’s personal data was erased. ${erasure.salesKept} ${erasure.salesKept === 1 ? 'sale stays' : 'sales stay'} in your reports, without a name.`,
        });
        close();
        void navigate('/customers');
      },
    }),
  );

  return (
    <Section title="Privacy requests" description="When a customer asks for their data, or asks to be forgotten.">
      <Stack gap="xs">
        <Button
          component="a"
          href={personalDataUrl(customer.id)}
          download
          variant="default"
          leftSection={<IconDownload size={16} />}
        >
          Download their data
        </Button>
        <Button variant="default" color="red" leftSection={<IconEraser size={16} />} onClick={open}>
          Erase personal data…
        </Button>
      </Stack>

      <Modal opened={opened} onClose={closeModal} title={`Erase ${name}’s personal data?`} size="lg">
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            {owes > 0 ? (
              <Alert color="red" variant="light" title="Not yet: they owe money">
                {name} owes {money.format(owes)} on invoices. Settle or void them first (Account, on this page): the
                books must not hold a debt no one can be asked to pay.
              </Alert>
            ) : null}
            <Text size="sm">This cannot be undone. Patron will:</Text>
            <List size="sm" spacing={4}>
              <List.Item>wipe their name, contact details, addresses, birthday, code and profile note;</List.Item>
              <List.Item>delete the team’s notes about them and clear the notes on their sales;</List.Item>
              <List.Item>
                deactivate their loyalty cards, and replace their details in the history with “(erased)”.
              </List.Item>
            </List>
            <Text size="sm">
              Their sales stay in your reports and statistics under the record id, without a name, and their balances
              stay in the books. They disappear from the customer list and the register.
            </Text>
            <Alert variant="light" color="gray" icon={<IconShieldLock size={18} />}>
              Download their data first if they asked for a copy: nothing is left to export afterwards.
            </Alert>
            <Textarea
              label="Why"
              description="Kept in the audit log, which keeps nothing else about them"
              placeholder="Asked by email on 24 November"
              autosize
              minRows={2}
              maxLength={500}
              withAsterisk
              {...form.getInputProps('reason')}
            />
            <TextInput
              label={`Type ${CONFIRM_WORD} to confirm`}
              autoComplete="off"
              withAsterisk
              {...form.getInputProps('confirm')}
            />
            {erase.isError ? (
              <Alert color="red" variant="light" title="Not erased">
                {messageOf(erase.error)}
              </Alert>
            ) : null}
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={closeModal}>
                Keep their data
              </Button>
              <Button
                type="submit"
                color="red"
                loading={erase.isPending}
                disabled={owes > 0}
                leftSection={<IconEraser size={16} />}
              >
                Erase personal data
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Section>
  );
}
