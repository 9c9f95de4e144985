import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, ok } from '../../api/client';
import { LoadMore } from '../../components/load-more';
import { tenantQueryKey, useTenant } from '../../components/tenant-layout';
import { EmptyState, ErrorNotice, formatDateTime, Loading, PageHeader } from '../../components/ui';

export function CallersPage() {
  const { customerId } = useTenant();
  const callers = useInfiniteQuery({
    queryKey: tenantQueryKey(customerId, 'callers'),
    queryFn: ({ pageParam }) => ok(api.tenant.listCallers({ params: { customerId }, query: { limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } })),
    initialPageParam: '',
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
  const rows = callers.data?.pages.flatMap((page) => page.callers) ?? [];
  return (
    <>
      <PageHeader title="Callers" />
      <ErrorNotice error={callers.error} />
      {callers.isPending ? <Loading what="callers" /> : null}
      {callers.isSuccess && rows.length === 0 ? (
        <EmptyState title="No callers yet">Everyone who calls your number is listed here, with what the agent remembers about them.</EmptyState>
      ) : null}
      {rows.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Callers, most recent call first</caption>
            <thead>
              <tr>
                <th scope="col">Caller</th>
                <th scope="col">Quick Bio</th>
                <th scope="col">Calls</th>
                <th scope="col">Last call</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((caller) => (
                <tr key={caller.id}>
                  <th scope="row">
                    <Link to={caller.id}>{caller.name ? `${caller.name} (${caller.phone})` : caller.phone}</Link>
                  </th>
                  <td>{caller.quick_bio ?? '—'}</td>
                  <td>{caller.call_count}</td>
                  <td>{formatDateTime(caller.last_call_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <LoadMore hasNextPage={callers.hasNextPage} isFetchingNextPage={callers.isFetchingNextPage} fetchNextPage={callers.fetchNextPage} />
    </>
  );
}
