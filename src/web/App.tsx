import { MantineProvider } from '@mantine/core';
import { ModalsProvider } from '@mantine/modals';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, createRoutesFromElements, Navigate, Outlet, Route, RouterProvider } from 'react-router';
import { isApiError } from './api/http.ts';
import { AuditLogPage } from './audit/AuditLogPage.tsx';
import { AuthGate } from './auth/AuthGate.tsx';
import { RequirePermission } from './auth/RequirePermission.tsx';
import { CustomerCreatePage } from './customers/CustomerCreatePage.tsx';
import { CustomerEditPage } from './customers/CustomerEditPage.tsx';
import { CustomerListPage } from './customers/CustomerListPage.tsx';
import { CustomerPage } from './customers/CustomerPage.tsx';
import { ExportLogPage } from './exports/ExportLogPage.tsx';
import { GroupsPage } from './groups/GroupsPage.tsx';
import { ImportColumnsPage } from './imports/ImportColumnsPage.tsx';
import { ImportPage } from './imports/ImportPage.tsx';
import { InvoicesPage } from './invoices/InvoicesPage.tsx';
import { ReportsPage } from './reports/ReportsPage.tsx';
import { SellPage } from './sell/SellPage.tsx';
import { SettingsPage } from './settings/SettingsPage.tsx';
import { AppLayout } from './shell/AppLayout.tsx';
import { PageNotFound } from './shell/PageNotFound.tsx';
import { StaffPage } from './staff/StaffPage.tsx';
import { theme } from './theme.ts';
import { TokensPage } from './tokens/TokensPage.tsx';

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

/**
 * A data router, so that a page with unsaved changes can hold a navigation until the person decides
 * (`useBlocker`, in LeaveGuard). Nothing shows until the person is known (AuthGate, around every route).
 */
const router = createBrowserRouter(
  createRoutesFromElements(
    <Route
      element={
        <AuthGate>
          <Outlet />
        </AuthGate>
      }
    >
      <Route element={<AppLayout />}>
        <Route index element={<Navigate to="/customers" replace />} />
        <Route
          path="customers"
          element={
            <RequirePermission permission="customers:read">
              <CustomerListPage />
            </RequirePermission>
          }
        />
        <Route
          path="customers/new"
          element={
            <RequirePermission permission="customers:write">
              <CustomerCreatePage />
            </RequirePermission>
          }
        />
        <Route
          path="customers/import"
          element={
            <RequirePermission permission="customers:import">
              <ImportPage />
            </RequirePermission>
          }
        />
        <Route
          path="customers/import/columns"
          element={
            <RequirePermission permission="customers:read">
              <ImportColumnsPage />
            </RequirePermission>
          }
        />
        <Route
          path="customers/import/:id"
          element={
            <RequirePermission permission="customers:import">
              <ImportPage />
            </RequirePermission>
          }
        />
        <Route
          path="customers/:id"
          element={
            <RequirePermission permission="customers:read">
              <CustomerPage />
            </RequirePermission>
          }
        />
        <Route
          path="customers/:id/edit"
          element={
            <RequirePermission permission="customers:write">
              <CustomerEditPage />
            </RequirePermission>
          }
        />
        <Route
          path="exports"
          element={
            <RequirePermission permission="customers:export">
              <ExportLogPage />
            </RequirePermission>
          }
        />
        <Route
          path="groups"
          element={
            <RequirePermission permission="customers:read">
              <GroupsPage />
            </RequirePermission>
          }
        />
        <Route
          path="staff"
          element={
            <RequirePermission permission="staff:manage">
              <StaffPage />
            </RequirePermission>
          }
        />
        <Route
          path="tokens"
          element={
            <RequirePermission permission="tokens:manage">
              <TokensPage />
            </RequirePermission>
          }
        />
        <Route
          path="audit"
          element={
            <RequirePermission permission="audit:read">
              <AuditLogPage />
            </RequirePermission>
          }
        />
        <Route
          path="sell"
          element={
            <RequirePermission permission="sales:write">
              <SellPage />
            </RequirePermission>
          }
        />
        <Route
          path="invoices"
          element={
            <RequirePermission permission="sales:read">
              <InvoicesPage />
            </RequirePermission>
          }
        />
        <Route
          path="reports"
          element={
            <RequirePermission permission="reports:read">
              <ReportsPage />
            </RequirePermission>
          }
        />
        <Route path="settings" element={<SettingsPage />} />
        <Route path="settings/loyalty" element={<SettingsPage section="loyalty" />} />
        <Route path="settings/invoicing" element={<SettingsPage section="invoicing" />} />
        <Route path="settings/email" element={<SettingsPage section="email" />} />
        <Route path="*" element={<PageNotFound />} />
      </Route>
    </Route>,
  ),
);

export function App() {
  return (
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queryClient}>
        <ModalsProvider>
          <Notifications position="bottom-right" />
          <RouterProvider router={router} />
        </ModalsProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
