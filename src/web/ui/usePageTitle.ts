import { useDocumentTitle } from '@mantine/hooks';

/** The browser tab says where you are: "Jane Doe · Customers · Patron". */
export function usePageTitle(...parts: (string | undefined)[]): void {
  useDocumentTitle([...parts.filter(Boolean), 'Patron'].join(' · '));
}
