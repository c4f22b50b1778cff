import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { EmailSettings, EmailSettingsUpdate } from '../../features/settings/email-settings.schema.ts';
import type { Settings, SettingsUpdate } from '../../features/settings/settings.schema.ts';
import { api } from './http.ts';

const settingsKey = ['settings'] as const;

export function useSettings() {
  return useQuery({ queryKey: settingsKey, queryFn: () => api<Settings>('GET', '/settings') });
}

export function useUpdateSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (update: SettingsUpdate) => api<Settings>('PATCH', '/settings', update),
    onSuccess: (settings) => queryClient.setQueryData(settingsKey, settings),
  });
}

const emailSettingsKey = ['settings', 'email'] as const;

/** The SMTP server receipts are sent through (the password itself never comes back). */
export function useEmailSettings(enabled = true) {
  return useQuery({
    queryKey: emailSettingsKey,
    queryFn: () => api<EmailSettings>('GET', '/settings/email'),
    enabled,
  });
}

export function useUpdateEmailSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (update: EmailSettingsUpdate) => api<EmailSettings>('PUT', '/settings/email', update),
    onSuccess: (settings) => queryClient.setQueryData(emailSettingsKey, settings),
  });
}
