import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { api, ok } from '../../api/client';
import { DataTable } from '../../components/data-table';
import { tenantQueryKey, useTenant } from '../../components/tenant-layout';
import { EmptyState, ErrorNotice, Loading, PageHeader, TextInput } from '../../components/ui';

/** The meters written today: the orchestrator's save-call-log, memory's summarize-call and the sms service. */
const KIND_LABEL: Record<string, string> = {
  call_minutes: 'Call minutes',
  llm_tokens: 'Language model tokens',
  tts_chars: 'Speech characters',
  summary_tokens: 'Summary model tokens',
  sms_segments_in: 'Text segments received',
  sms_segments_out: 'Text segments sent',
};

function monthRange(now = new Date()) {
  const iso = (date: Date) => date.toISOString().slice(0, 10);
  return {
    from: iso(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))),
    to: iso(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1))),
  };
}

export function UsagePage() {
  const { customerId } = useTenant();
  const [range, setRange] = useState(monthRange);
  const [draft, setDraft] = useState(range);
  const usage = useQuery({
    queryKey: tenantQueryKey(customerId, 'usage', range),
    queryFn: () => ok(api.tenant.getUsage({ params: { customerId }, query: range })),
  });
  return (
    <>
      <PageHeader title="Usage" />
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
      <ErrorNotice error={usage.error} />
      {usage.isPending ? <Loading what="usage" /> : null}
      {usage.data && usage.data.usage.length === 0 ? (
        <EmptyState title="No usage in this period">Calls and texts are counted here as they happen.</EmptyState>
      ) : null}
      {usage.data && usage.data.usage.length > 0 ? (
        <DataTable
          caption="Usage by kind"
          captionHidden
          rows={usage.data.usage}
          rowKey={(row) => row.kind}
          columns={[
            { header: 'Kind', cell: (row) => KIND_LABEL[row.kind] ?? row.kind },
            { header: 'Quantity', cell: (row) => Number(row.quantity).toLocaleString() },
          ]}
        />
      ) : null}
    </>
  );
}
