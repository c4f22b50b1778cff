import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { StaffInvite, StaffMember, StaffUpdate } from '../../features/staff/staff.schema.ts';
import { api } from './http.ts';

export interface TemporaryPassword {
  member: StaffMember;
  temporaryPassword: string;
}

const staffKey = ['staff'] as const;

export function useStaff(enabled = true) {
  return useQuery({
    queryKey: staffKey,
    queryFn: () => api<{ items: StaffMember[] }>('GET', '/staff'),
    select: (data) => data.items,
    enabled,
  });
}

export function useInviteStaff() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: StaffInvite) => api<TemporaryPassword>('POST', '/staff', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: staffKey }),
  });
}

export function useUpdateStaff() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...update }: StaffUpdate & { id: string }) =>
      api<StaffMember>('PATCH', `/staff/${encodeURIComponent(id)}`, update),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: staffKey }),
  });
}

export function useResetStaffPassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<TemporaryPassword>('POST', `/staff/${encodeURIComponent(id)}/reset-password`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: staffKey }),
  });
}
