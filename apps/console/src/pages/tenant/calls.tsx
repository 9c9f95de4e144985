import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { Link, useSearchParams } from 'react-router';
import { api, ok } from '../../api/client';
import { DataTable } from '../../components/data-table';
import { LoadMore, useCursorList } from '../../components/load-more';
import { tenantQueryKey, useTenant } from '../../components/tenant-layout';
import { EmptyState, ErrorNotice, formatDateTime, formatDuration, Loading, PageHeader, TextInput } from '../../components/ui';

const FILTERS = ['caller', 'from', 'to'] as const;

export function CallsPage() {
  const { customerId } = useTenant();
  const [params, setParams] = useSearchParams();
  const applied = Object.fromEntries(FILTERS.map((name) => [name, params.get(name) ?? ''])) as Record<(typeof FILTERS)[number], string>;
  const [draft, setDraft] = useState(applied);
  const query = Object.fromEntries(Object.entries(applied).filter(([, value]) => value !== ''));
  const calls = useCursorList({
    queryKey: tenantQueryKey(customerId, 'calls', query),
    fetchPage: (cursor) => ok(api.tenant.listCalls({ params: { customerId }, query: { ...query, limit: 50, cursor } })),
    rowsOf: (page) => page.calls,
  });
  const filtered = Object.keys(query).length > 0;
  return (
    <>
      <PageHeader title="Calls" />
      <Form
        className="filters"
        aria-label="Filter calls"
        onSubmit={(event) => {
          event.preventDefault();
          setParams(Object.fromEntries(Object.entries(draft).filter(([, value]) => value.trim() !== '')));
        }}
      >
        <TextInput
          label="Caller number"
          type="tel"
          placeholder="+12125550123"
          value={draft.caller}
          onChange={(caller) => setDraft({ ...draft, caller })}
        />
        <TextInput label="From" type="date" value={draft.from} onChange={(from) => setDraft({ ...draft, from })} />
        <TextInput label="Until (not included)" type="date" value={draft.to} onChange={(to) => setDraft({ ...draft, to })} />
        <Button type="submit" className="button">
          Filter
        </Button>
      </Form>
      <ErrorNotice error={calls.error} />
      {calls.isPending ? <Loading what="calls" /> : null}
      {calls.isSuccess && calls.rows.length === 0 ? (
        filtered ? (
          <EmptyState title="No calls match">Change or clear the filters to see more calls.</EmptyState>
        ) : (
          <EmptyState title="No calls yet">
            Calls appear here as soon as your agent answers one. Call your business number to try it.
          </EmptyState>
        )
      ) : null}
      {calls.rows.length > 0 ? (
        <DataTable
          caption="Calls, newest first"
          captionHidden
          rows={calls.rows}
          rowKey={(call) => call.id}
          columns={[
            { header: 'Started', cell: (call) => <Link to={call.id}>{formatDateTime(call.started_at)}</Link> },
            { header: 'Caller', cell: (call) => call.from_number },
            { header: 'Duration', cell: (call) => formatDuration(call.duration_seconds) },
            { header: 'Outcome', cell: (call) => call.outcome ?? '—' },
            { header: 'Status', cell: (call) => call.status },
          ]}
        />
      ) : null}
      <LoadMore list={calls} />
    </>
  );
}
