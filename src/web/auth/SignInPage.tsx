import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconInfoCircle, IconLock } from '@tabler/icons-react';
import { useState } from 'react';
import type { Session } from '../../features/auth/auth.schema.ts';
import type { Problem } from '../../shared/problem.schema.ts';
import { useSignIn } from '../api/auth.ts';
import { problemOf } from '../api/http.ts';
import { usePageTitle } from '../ui/usePageTitle.ts';
import { AuthLayout } from './AuthLayout.tsx';

/** Why the sign-in page is showing, when it is not the first visit. */
export type SignInNotice = 'signed-out' | 'expired';

const NOTICES: Record<SignInNotice, string> = {
  'signed-out': 'You are signed out.',
  expired: 'Your session ended. Sign in again to carry on where you were.',
};

interface SignInPageProps {
  notice: SignInNotice | null;
  /** The password goes along so that a temporary one need not be typed twice. */
  onSignedIn(session: Session, password: string): void;
}

/** What went wrong, in words for the person at the keyboard. */
function signInError(problem: Problem): string {
  if (problem.status === 401) return 'The email or password is incorrect. Check both and try again.';
  if (problem.status === 429) {
    const seconds = typeof problem.retryAfter === 'number' ? problem.retryAfter : undefined;
    const minutes = seconds === undefined ? undefined : Math.max(1, Math.ceil(seconds / 60));
    return minutes === undefined
      ? 'Too many attempts. Wait a few minutes and try again.'
      : `Too many attempts. Try again in ${minutes === 1 ? '1 minute' : `${minutes} minutes`}.`;
  }
  return problem.detail ?? problem.title;
}

export function SignInPage({ notice, onSignedIn }: SignInPageProps) {
  usePageTitle('Sign in');
  const signIn = useSignIn();
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { email: '', password: '' },
    validate: {
      email: (value) => (value.trim() ? null : 'Enter your email'),
      password: (value) => (value ? null : 'Enter your password'),
    },
  });

  const submit = form.onSubmit((values) => {
    setError(null);
    signIn.mutate(
      { email: values.email.trim(), password: values.password },
      {
        onSuccess: (session) => onSignedIn(session, values.password),
        onError: (failure) => {
          setError(signInError(problemOf(failure)));
          form.setFieldValue('password', '');
        },
      },
    );
  });

  return (
    <AuthLayout
      title="Sign in"
      description="to your business’s back office"
      footer="Forgot your password? Ask the owner or an admin of your business to reset it."
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {error ? (
            <Alert color="red" variant="light" icon={<IconAlertCircle />} role="alert">
              {error}
            </Alert>
          ) : notice ? (
            <Alert color="blue" variant="light" icon={<IconInfoCircle />}>
              {NOTICES[notice]}
            </Alert>
          ) : null}
          <TextInput label="Email" type="email" autoComplete="username" autoFocus {...form.getInputProps('email')} />
          <PasswordInput label="Password" autoComplete="current-password" {...form.getInputProps('password')} />
          <Button type="submit" fullWidth loading={signIn.isPending} leftSection={<IconLock size={16} />} mt={4}>
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
