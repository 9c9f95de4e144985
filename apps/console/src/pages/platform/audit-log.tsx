import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { api, ok } from '../../api/client';
import { DataTable } from '../../components/data-table';
import { LoadMore, useCursorList } from '../../components/load-more';
import { EmptyState, ErrorNotice, formatDateTime, Loading, PageHeader, TextInput } from '../../components/ui';

interface AuditFilters {
  admin: string;
  customer_id: string;
  action: string;
  /** datetime-local values (the browser's time zone); empty = no bound. */
  from: string;
  to: string;
}

const NO_FILTERS: AuditFilters = { admin: '', customer_id: '', action: '', from: '', to: '' };

/** The filters as the API's query: empty ones left out, times as instants. */
function queryOf(filters: AuditFilters) {
  const text = (value: string) => (value.trim() === '' ? undefined : value.trim());
  const instant = (value: string) => (value === '' ? undefined : new Date(value).toISOString());
  return {
    admin: text(filters.admin),
    customer_id: text(filters.customer_id) === undefined ? undefined : Number(filters.customer_id),
    action: text(filters.action),
    from: instant(filters.from),
    to: instant(filters.to),
  };
}

export function PlatformAuditLogPage() {
  const [filters, setFilters] = useState(NO_FILTERS);
  const [draft, setDraft] = useState(NO_FILTERS);
  const set = (key: keyof AuditFilters) => (value: string) => setDraft((current) => ({ ...current, [key]: value }));
  const query = queryOf(filters);
  const entries = useCursorList({
    queryKey: ['platform', 'audit-log', query],
    fetchPage: (cursor) => ok(api.platform.listPlatformAuditLog({ query: { ...query, limit: 50, cursor } })),
    rowsOf: (page) => page.entries,
  });
  const filtered = Object.values(query).some((value) => value !== undefined);
  return (
    <>
      <PageHeader title="Platform audit log" />
      <Form
        className="filters"
        aria-label="Audit log filters"
        onSubmit={(event) => {
          event.preventDefault();
          setFilters(draft);
        }}
      >
        <TextInput label="Admin" description="An admin's id, or an actor such as cli:ops." value={draft.admin} onChange={set('admin')} />
        <TextInput
          label="Tenant"
          description="Customer number."
          inputMode="numeric"
          value={draft.customer_id}
          onChange={set('customer_id')}
        />
        <TextInput label="Action" description="Or a prefix: tenant.*" value={draft.action} onChange={set('action')} />
        <TextInput label="From" type="datetime-local" value={draft.from} onChange={set('from')} />
        <TextInput label="Until" type="datetime-local" value={draft.to} onChange={set('to')} />
        <Button type="submit" className="button">
          Filter
        </Button>
        {filtered ? (
          <Button
            className="button"
            onPress={() => {
              setDraft(NO_FILTERS);
              setFilters(NO_FILTERS);
            }}
          >
            Clear filters
          </Button>
        ) : null}
      </Form>
      <ErrorNotice error={entries.error} />
      {entries.isPending ? <Loading what="the audit log" /> : null}
      {entries.isSuccess && entries.rows.length === 0 ? (
        <EmptyState title={filtered ? 'Nothing matches these filters' : 'Nothing recorded yet'}>
          {filtered
            ? 'Widen the period or clear a filter.'
            : 'Every platform operation (onboarding, numbers, suspensions, admins) is recorded here.'}
        </EmptyState>
      ) : null}
      {entries.rows.length > 0 ? (
        <DataTable
          caption="Platform audit log, newest first"
          captionHidden
          rows={entries.rows}
          rowKey={(entry) => entry.id}
          columns={[
            { header: 'When', cell: (entry) => formatDateTime(entry.created_at) },
            { header: 'Who', cell: (entry) => entry.actor },
            { header: 'What', cell: (entry) => entry.action },
            { header: 'Tenant', cell: (entry) => (entry.customer_id === null ? '—' : `#${entry.customer_id}`) },
            { header: 'Reason', cell: (entry) => entry.reason ?? '—' },
          ]}
        />
      ) : null}
      <LoadMore list={entries} />
    </>
  );
}
