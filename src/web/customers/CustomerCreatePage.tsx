import { Container } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { useCreateCustomer } from '../api/customers.ts';
import { problemOf } from '../api/http.ts';
import { useSettings } from '../api/settings.ts';
import { focusFirstError } from '../lib/form-errors.ts';
import { displayName } from '../lib/format.ts';
import { LeaveGuard } from '../ui/LeaveGuard.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { usePageTitle } from '../ui/usePageTitle.ts';
import { CustomerForm } from './CustomerForm.tsx';
import { type CustomerFormValues, toCreate, toFormValues } from './customer-form-values.ts';
import { type SaveFailure, SaveFailureAlert, showSaveErrors } from './save-errors.tsx';

export function CustomerCreatePage() {
  usePageTitle('New customer', 'Customers');
  const navigate = useNavigate();
  const settings = useSettings();
  const create = useCreateCustomer();
  const formRef = useRef<HTMLFormElement>(null);
  const [failure, setFailure] = useState<SaveFailure | null>(null);
  const form = useForm<CustomerFormValues>({ mode: 'controlled', initialValues: toFormValues() });

  function save(values: CustomerFormValues) {
    setFailure(null);
    create.mutate(toCreate(values), {
      onSuccess: (customer) => {
        notifications.show({
          color: 'teal',
          title: 'Customer created',
          message: `${displayName(customer)} was added.`,
        });
        form.resetDirty();
        void navigate(`/customers/${customer.id}`);
      },
      onError: (error) => {
        setFailure(showSaveErrors(form, problemOf(error)));
        requestAnimationFrame(() => focusFirstError(formRef.current));
      },
    });
  }

  return (
    <Container size={860} px={0}>
      <PageHeader title="New customer" crumbs={[{ label: 'Customers', to: '/customers' }, { label: 'New customer' }]} />
      <LeaveGuard dirty={() => form.isDirty()} what="the new customer" />
      <CustomerForm
        form={form}
        formRef={formRef}
        settings={settings.data}
        groupName={undefined}
        banner={failure ? <SaveFailureAlert failure={failure} /> : null}
        saving={create.isPending}
        cancelTo="/customers"
        onSubmit={form.onSubmit(save)}
      />
    </Container>
  );
}
