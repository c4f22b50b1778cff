import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiToken, ApiTokenCreate } from '../../features/tokens/token.schema.ts';
import { api } from './http.ts';

const tokensKey = ['tokens'] as const;

export function useTokens(enabled = true) {
  return useQuery({
    queryKey: tokensKey,
    queryFn: () => api<{ items: ApiToken[] }>('GET', '/tokens'),
    select: (data) => data.items,
    enabled,
  });
}

export function useCreateToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ApiTokenCreate) => api<{ token: ApiToken; secret: string }>('POST', '/tokens', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokensKey }),
  });
}

export function useRevokeToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>('DELETE', `/tokens/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokensKey }),
  });
}
