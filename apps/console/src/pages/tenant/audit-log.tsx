import { useInfiniteQuery } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import { LoadMore } from '../../components/load-more';
import { tenantQueryKey, useTenant } from '../../components/tenant-layout';
import { EmptyState, ErrorNotice, formatDateTime, Loading, PageHeader } from '../../components/ui';

export function AuditLogPage() {
  const { customerId } = useTenant();
  const entries = useInfiniteQuery({
    queryKey: tenantQueryKey(customerId, 'audit-log'),
    queryFn: ({ pageParam }) => ok(api.tenant.listAuditLog({ params: { customerId }, query: { limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } })),
    initialPageParam: '',
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
  const rows = entries.data?.pages.flatMap((page) => page.entries) ?? [];
  return (
    <>
      <PageHeader title="Audit log" />
      <ErrorNotice error={entries.error} />
      {entries.isPending ? <Loading what="the audit log" /> : null}
      {entries.isSuccess && rows.length === 0 ? <EmptyState title="Nothing recorded yet">Every change to settings, the team and API keys is recorded here.</EmptyState> : null}
      {rows.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Audit log, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">On</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((entry) => (
                <tr key={entry.id}>
                  <th scope="row">{formatDateTime(entry.created_at)}</th>
                  <td>{entry.actor}</td>
                  <td>{entry.action}</td>
                  <td>{entry.target ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <LoadMore hasNextPage={entries.hasNextPage} isFetchingNextPage={entries.isFetchingNextPage} fetchNextPage={entries.fetchNextPage} />
    </>
  );
}
