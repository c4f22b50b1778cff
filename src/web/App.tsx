import { MantineProvider } from '@mantine/core';
import { ModalsProvider } from '@mantine/modals';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { isApiError } from './api/http.ts';
import { CustomerCreatePage } from './customers/CustomerCreatePage.tsx';
import { CustomerEditPage } from './customers/CustomerEditPage.tsx';
import { CustomerListPage } from './customers/CustomerListPage.tsx';
import { CustomerPage } from './customers/CustomerPage.tsx';
import { SettingsPage } from './settings/SettingsPage.tsx';
import { AppLayout } from './shell/AppLayout.tsx';
import { PageNotFound } from './shell/PageNotFound.tsx';
import { theme } from './theme.ts';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      // A 4xx answer will not change on retry (a deleted customer stays deleted); a network blip might.
      retry: (failureCount, error) =>
        failureCount < 2 && !(isApiError(error) && error.status >= 400 && error.status < 500),
    },
  },
});

export function App() {
  return (
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queryClient}>
        <ModalsProvider>
          <Notifications position="bottom-right" />
          <BrowserRouter>
            <Routes>
              <Route element={<AppLayout />}>
                <Route index element={<Navigate to="/customers" replace />} />
                <Route path="customers" element={<CustomerListPage />} />
                <Route path="customers/new" element={<CustomerCreatePage />} />
                <Route path="customers/:id" element={<CustomerPage />} />
                <Route path="customers/:id/edit" element={<CustomerEditPage />} />
                <Route path="settings" element={<SettingsPage />} />
                <Route path="*" element={<PageNotFound />} />
              </Route>
            </Routes>
          </BrowserRouter>
        </ModalsProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
