import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { api, ok } from '../../api/client';
import { DataTable } from '../../components/data-table';
import { EmptyState, ErrorNotice, Loading, PageHeader, TextInput } from '../../components/ui';
import { monthRange, usageKindLabel } from '../../components/usage-kinds';

/** Usage across tenants for a period, per tenant and meter; the same as CSV from the API. */
export function PlatformUsagePage() {
  const [range, setRange] = useState(monthRange);
  const [draft, setDraft] = useState(range);
  const query = { from: range.from, to: range.to };
  const usage = useQuery({
    queryKey: ['platform', 'usage', query],
    queryFn: () => ok(api.platform.getPlatformUsage({ query })),
  });
  const exportCsv = useMutation({
    mutationFn: () => ok(api.platform.exportPlatformUsage({ query })),
    onSuccess: (csv) => {
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([String(csv)], { type: 'text/csv' }));
      link.download = `usage-${query.from}-${query.to}.csv`;
      link.click();
      URL.revokeObjectURL(link.href);
    },
  });
  const rows = usage.data?.usage ?? [];
  return (
    <>
      <PageHeader title="Platform usage">
        <Button className="button" onPress={() => exportCsv.mutate()} isDisabled={exportCsv.isPending || rows.length === 0}>
          {exportCsv.isPending ? 'Preparing CSV…' : 'Export CSV'}
        </Button>
      </PageHeader>
      <Form
        className="filters"
        aria-label="Usage period"
        onSubmit={(event) => {
          event.preventDefault();
          setRange(draft);
        }}
      >
        <TextInput label="From" type="date" isRequired value={draft.from} onChange={(from) => setDraft({ ...draft, from })} />
        <TextInput label="Until (not included)" type="date" isRequired value={draft.to} onChange={(to) => setDraft({ ...draft, to })} />
        <Button type="submit" className="button">
          Show
        </Button>
      </Form>
      <ErrorNotice error={usage.error ?? exportCsv.error} />
      {usage.isPending ? <Loading what="usage" /> : null}
      {usage.isSuccess && rows.length === 0 ? (
        <EmptyState title="No usage in this period">
          Calls, speech and texts of every business are counted here as they happen; choose another period.
        </EmptyState>
      ) : null}
      {rows.length > 0 ? (
        <DataTable
          caption="Usage per business and meter"
          captionHidden
          rows={rows}
          rowKey={(row) => `${row.customer_id}:${row.kind}`}
          columns={[
            { header: 'Business', cell: (row) => `${row.business_name ?? 'Offboarded business'} #${row.customer_id}` },
            { header: 'Meter', cell: (row) => usageKindLabel(row.kind) },
            { header: 'Quantity', cell: (row) => Number(row.quantity).toLocaleString() },
            { header: 'Records', cell: (row) => row.records.toLocaleString() },
          ]}
        />
      ) : null}
    </>
  );
}
