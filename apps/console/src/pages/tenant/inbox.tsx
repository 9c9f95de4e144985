import { inboxStatuses } from '@neurosphere/contracts';
import type { InboxItem } from '@neurosphere/contracts';
import { Link, useSearchParams } from 'react-router';
import { api, ok } from '../../api/client';
import { DataTable } from '../../components/data-table';
import { LoadMore, useCursorList } from '../../components/load-more';
import { tenantQueryKey, useTenant } from '../../components/tenant-layout';
import { EmptyState, ErrorNotice, formatDateTime, Loading, PageHeader } from '../../components/ui';

export const INBOX_STATUS_LABEL: Record<InboxItem['status'], string> = { new: 'New', in_progress: 'In progress', done: 'Done' };
export const INBOX_KIND_LABEL: Record<InboxItem['kind'], string> = { message: 'Message', callback: 'Callback request' };

function isStatus(value: string | null): value is InboxItem['status'] {
  return (inboxStatuses as readonly string[]).includes(value ?? '');
}

export function callerLabel(caller: InboxItem['caller']): string {
  return caller.name ? `${caller.name} (${caller.phone})` : caller.phone;
}

/** The messages and callback requests the agent took; a staff notification links to one item (inbox/:itemId). */
export function InboxPage() {
  const { customerId } = useTenant();
  const [params] = useSearchParams();
  const raw = params.get('status');
  const status = isStatus(raw) ? raw : undefined;
  const items = useCursorList({
    queryKey: tenantQueryKey(customerId, 'inbox', status ?? 'all'),
    fetchPage: (cursor) => ok(api.tenant.listInbox({ params: { customerId }, query: { status, limit: 50, cursor } })),
    rowsOf: (page) => page.items,
  });
  const filters = [
    { label: 'All', search: '' },
    ...inboxStatuses.map((value) => ({ label: INBOX_STATUS_LABEL[value], search: `?status=${value}` })),
  ];
  return (
    <>
      <PageHeader title="Inbox" />
      <nav aria-label="Filter by status" className="tabs">
        {filters.map((filter) => (
          <Link
            key={filter.label}
            to={filter.search || '.'}
            aria-current={(status ? `?status=${status}` : '') === filter.search ? 'page' : undefined}
            className="tab"
          >
            {filter.label}
          </Link>
        ))}
      </nav>
      <ErrorNotice error={items.error} />
      {items.isPending ? <Loading what="the inbox" /> : null}
      {items.isSuccess && items.rows.length === 0 ? (
        status ? (
          <EmptyState title={`Nothing ${INBOX_STATUS_LABEL[status].toLowerCase()}`}>
            Choose another filter above to see the rest of the inbox.
          </EmptyState>
        ) : (
          <EmptyState title="The inbox is empty">
            When a caller leaves a message or asks to be called back, the agent puts it here. Set up notifications to hear about it at once.
          </EmptyState>
        )
      ) : null}
      {items.rows.length > 0 ? (
        <DataTable
          caption="Messages and callback requests, newest first"
          captionHidden
          rows={items.rows}
          rowKey={(item) => item.id}
          columns={[
            { header: 'Received', cell: (item) => <Link to={item.id}>{formatDateTime(item.created_at)}</Link> },
            { header: 'Caller', cell: (item) => callerLabel(item.caller) },
            { header: 'Kind', cell: (item) => INBOX_KIND_LABEL[item.kind] },
            { header: 'Reason', cell: (item) => item.reason },
            { header: 'Urgency', cell: (item) => item.urgency },
            { header: 'Status', cell: (item) => INBOX_STATUS_LABEL[item.status] },
          ]}
        />
      ) : null}
      <LoadMore list={items} />
    </>
  );
}
