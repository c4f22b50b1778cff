import { Badge, Button, Paper, Table, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { IMPORT_TEMPLATE_URL, useImportColumns } from '../api/imports.ts';
import { LoadError } from '../ui/LoadError.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { usePageTitle } from '../ui/usePageTitle.ts';

/** Every column of the import file: what it means, how to write it, whether it is needed. */
export function ImportColumnsPage() {
  usePageTitle('Import columns', 'Customers');
  const columns = useImportColumns();
  return (
    <>
      <PageHeader
        title="Columns of an import file"
        crumbs={[
          { label: 'Customers', to: '/customers' },
          { label: 'Import', to: '/customers/import' },
          { label: 'Columns' },
        ]}
        description="The template has every column below, with an example row. Columns can be in any order; leave out the ones you do not need."
        actions={
          <Button component="a" href={IMPORT_TEMPLATE_URL} leftSection={<IconDownload size={16} />}>
            Download the template
          </Button>
        }
      />
      <Paper p="lg">
        {columns.isError ? (
          <LoadError error={columns.error} onRetry={() => columns.refetch()} what="the columns" />
        ) : (
          <Table.ScrollContainer minWidth={860}>
            <Table aria-label="Import columns" verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={190}>Column</Table.Th>
                  <Table.Th>Meaning</Table.Th>
                  <Table.Th>Format</Table.Th>
                  <Table.Th w={200}>Required</Table.Th>
                  <Table.Th w={160}>Example</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(columns.data ?? []).map((column) => (
                  <Table.Tr key={column.key}>
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        {column.header}
                      </Text>
                      {!column.importable ? (
                        <Badge size="xs" variant="light" color="gray" tt="none">
                          Export only
                        </Badge>
                      ) : null}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{column.meaning}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{column.format}</Text>
                      {column.allowedValues ? (
                        <Text size="xs" c="dimmed">
                          Allowed: {column.allowedValues.join(', ')}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{column.required}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {column.example}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
    </>
  );
}
