import { api, ok } from '../../api/client';
import { DataTable } from '../../components/data-table';
import { LoadMore, useCursorList } from '../../components/load-more';
import { tenantQueryKey, useTenant } from '../../components/tenant-layout';
import { EmptyState, ErrorNotice, formatDateTime, Loading, PageHeader } from '../../components/ui';

export function AuditLogPage() {
  const { customerId } = useTenant();
  const entries = useCursorList({
    queryKey: tenantQueryKey(customerId, 'audit-log'),
    fetchPage: (cursor) => ok(api.tenant.listAuditLog({ params: { customerId }, query: { limit: 50, cursor } })),
    rowsOf: (page) => page.entries,
  });
  return (
    <>
      <PageHeader title="Audit log" />
      <ErrorNotice error={entries.error} />
      {entries.isPending ? <Loading what="the audit log" /> : null}
      {entries.isSuccess && entries.rows.length === 0 ? (
        <EmptyState title="Nothing recorded yet">Every change to settings, the team and API keys is recorded here.</EmptyState>
      ) : null}
      {entries.rows.length > 0 ? (
        <DataTable
          caption="Audit log, newest first"
          captionHidden
          rows={entries.rows}
          rowKey={(entry) => entry.id}
          columns={[
            { header: 'When', cell: (entry) => formatDateTime(entry.created_at) },
            { header: 'Who', cell: (entry) => entry.actor },
            { header: 'What', cell: (entry) => entry.action },
            { header: 'On', cell: (entry) => entry.target ?? '—' },
          ]}
        />
      ) : null}
      <LoadMore list={entries} />
    </>
  );
}
