import { Anchor } from '@mantine/core';
import type { Session } from '../../features/auth/auth.schema.ts';
import { usePageTitle } from '../ui/usePageTitle.ts';
import { AuthLayout } from './AuthLayout.tsx';
import { ChangePasswordForm } from './ChangePasswordForm.tsx';

interface ChangePasswordPageProps {
  session: Session;
  knownCurrentPassword: string | null;
  onChanged(): void;
  onSignOut(): void;
}

/** Before anything else, someone with a temporary password chooses their own. */
export function ChangePasswordPage({ session, knownCurrentPassword, onChanged, onSignOut }: ChangePasswordPageProps) {
  usePageTitle('Choose a new password');
  const firstName = session.actor.name.split(' ')[0] ?? session.actor.name;
  return (
    <AuthLayout
      title="Choose a new password"
      description={`Welcome, ${firstName}. You signed in to ${session.merchant.name} with a temporary password: choose your own to carry on. Only you will know it.`}
      footer={
        <>
          Not {session.actor.name}?{' '}
          <Anchor component="button" type="button" size="sm" onClick={onSignOut}>
            Sign out
          </Anchor>
        </>
      }
    >
      <ChangePasswordForm
        knownCurrentPassword={knownCurrentPassword}
        submitLabel="Save password and continue"
        onChanged={onChanged}
      />
    </AuthLayout>
  );
}
