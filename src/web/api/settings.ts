import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
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
