import { Container, Skeleton, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { type Customer, type CustomerUpdate, customerSchema } from '../../features/customers/customer.schema.ts';
import { customerKeys, useCustomer, useUpdateCustomer } from '../api/customers.ts';
import { isNotFound, problemOf } from '../api/http.ts';
import { useSettings } from '../api/settings.ts';
import { focusFirstError } from '../lib/form-errors.ts';
import { displayName } from '../lib/format.ts';
import { LeaveGuard } from '../ui/LeaveGuard.tsx';
import { LoadError } from '../ui/LoadError.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { usePageTitle } from '../ui/usePageTitle.ts';
import { ConflictAlert } from './ConflictAlert.tsx';
import { CustomerForm } from './CustomerForm.tsx';
import { CustomerNotFound } from './CustomerNotFound.tsx';
import { type CustomerFormValues, changedFields, rebase, toFormValues, toUpdate } from './customer-form-values.ts';
import { type SaveFailure, SaveFailureAlert, showSaveErrors } from './save-errors.tsx';

export function CustomerEditPage() {
  const { id = '' } = useParams();
  const customer = useCustomer(id, { fresh: true });
  usePageTitle(customer.data ? `Edit ${displayName(customer.data)}` : undefined, 'Customers');

  if (customer.isPending || (customer.isFetching && !customer.isFetchedAfterMount)) {
    return (
      <Container size={860} px={0}>
        <Skeleton h={28} w={280} mb="lg" />
        <Stack>
          <Skeleton h={220} />
          <Skeleton h={160} />
        </Stack>
      </Container>
    );
  }
  if (customer.isError) {
    if (isNotFound(customer.error)) return <CustomerNotFound />;
    return <LoadError error={customer.error} onRetry={() => customer.refetch()} what="this customer" />;
  }
  // Keyed by id: the form starts from what was loaded and later refetches never overwrite what the user typed.
  return <CustomerEditForm key={customer.data.id} loaded={customer.data} />;
}

interface Conflict {
  /** The customer as someone else saved it. */
  current: Customer;
  /** What this user tried to save, by field. */
  fields: string[];
  mine: CustomerFormValues;
}

function CustomerEditForm({ loaded }: { loaded: Customer }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const settings = useSettings();
  const update = useUpdateCustomer(loaded.id);
  const formRef = useRef<HTMLFormElement>(null);
  // The version the user is editing; it moves on only when they choose to take a newer one.
  const [base, setBase] = useState(loaded);
  const [failure, setFailure] = useState<SaveFailure | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const form = useForm<CustomerFormValues>({ mode: 'controlled', initialValues: toFormValues(loaded) });

  function send(body: CustomerUpdate, fields: string[], values: CustomerFormValues) {
    setFailure(null);
    update.mutate(body, {
      onSuccess: (saved) => {
        setConflict(null);
        notifications.show({ color: 'teal', title: 'Changes saved', message: `${displayName(saved)} is up to date.` });
        form.resetDirty();
        void navigate(`/customers/${saved.id}`);
      },
      onError: (error) => {
        const problem = problemOf(error);
        const current = customerSchema.safeParse(problem.current);
        if (problem.status === 412 && current.success) {
          const now = current.data as Customer;
          queryClient.setQueryData(customerKeys.detail(now.id), now);
          setConflict({ current: now, fields, mine: values });
          formRef.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
          return;
        }
        setConflict(null);
        setFailure(showSaveErrors(form, problem));
        requestAnimationFrame(() => focusFirstError(formRef.current));
      },
    });
  }

  function save(values: CustomerFormValues) {
    const fields = changedFields(base, values);
    if (fields.length === 0) {
      notifications.show({ title: 'Nothing to save', message: 'You did not change anything.' });
      void navigate(`/customers/${base.id}`);
      return;
    }
    send(toUpdate(values, fields, base.version), fields, values);
  }

  function reviewTheirs() {
    if (!conflict) return;
    const values = toFormValues(conflict.current);
    form.setValues(values);
    form.resetDirty(values);
    form.clearErrors();
    setBase(conflict.current);
    setConflict(null);
    setFailure(null);
  }

  function saveMineAnyway() {
    if (!conflict) return;
    // Only the fields this user changed overwrite the newer version; everyone else's changes stay.
    // The form as it is now: the user may have gone on editing while the alert was showing.
    const values = rebase(form.getValues(), base, conflict.current);
    form.setValues(values);
    form.resetDirty(toFormValues(conflict.current));
    setBase(conflict.current);
    const fields = changedFields(conflict.current, values);
    if (fields.length === 0) {
      // Their version already says what this user wanted: there is nothing left to write.
      setConflict(null);
      notifications.show({
        color: 'teal',
        title: 'Nothing to save',
        message: 'Their version already has your changes.',
      });
      form.resetDirty();
      void navigate(`/customers/${conflict.current.id}`);
      return;
    }
    send(toUpdate(values, fields, conflict.current.version), fields, values);
  }

  const name = displayName(base);
  return (
    <Container size={860} px={0}>
      <PageHeader
        title={`Edit ${name}`}
        crumbs={[
          { label: 'Customers', to: '/customers' },
          { label: name, to: `/customers/${base.id}` },
          { label: 'Edit' },
        ]}
      />
      <LeaveGuard dirty={() => form.isDirty()} what={name} />
      <CustomerForm
        form={form}
        formRef={formRef}
        settings={settings.data}
        groupName={base.group.name}
        banner={
          conflict ? (
            <ConflictAlert
              loaded={base}
              current={conflict.current}
              fields={conflict.fields}
              mine={conflict.mine}
              saving={update.isPending}
              onReviewTheirs={reviewTheirs}
              onSaveMine={saveMineAnyway}
            />
          ) : failure ? (
            <SaveFailureAlert failure={failure} />
          ) : null
        }
        saving={update.isPending && !conflict}
        cancelTo={`/customers/${base.id}`}
        onSubmit={form.onSubmit(save)}
      />
    </Container>
  );
}
