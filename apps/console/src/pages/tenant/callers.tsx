import { Link } from 'react-router';
import { api, ok } from '../../api/client';
import { DataTable } from '../../components/data-table';
import { LoadMore, useCursorList } from '../../components/load-more';
import { tenantQueryKey, useTenant } from '../../components/tenant-layout';
import { EmptyState, ErrorNotice, formatDateTime, Loading, PageHeader } from '../../components/ui';

export function CallersPage() {
  const { customerId } = useTenant();
  const callers = useCursorList({
    queryKey: tenantQueryKey(customerId, 'callers'),
    fetchPage: (cursor) => ok(api.tenant.listCallers({ params: { customerId }, query: { limit: 50, cursor } })),
    rowsOf: (page) => page.callers,
  });
  return (
    <>
      <PageHeader title="Callers" />
      <ErrorNotice error={callers.error} />
      {callers.isPending ? <Loading what="callers" /> : null}
      {callers.isSuccess && callers.rows.length === 0 ? (
        <EmptyState title="No callers yet">
          Everyone who calls your number is listed here, with what the agent remembers about them.
        </EmptyState>
      ) : null}
      {callers.rows.length > 0 ? (
        <DataTable
          caption="Callers, most recent call first"
          captionHidden
          rows={callers.rows}
          rowKey={(caller) => caller.id}
          columns={[
            {
              header: 'Caller',
              cell: (caller) => <Link to={caller.id}>{caller.name ? `${caller.name} (${caller.phone})` : caller.phone}</Link>,
            },
            { header: 'Quick Bio', cell: (caller) => caller.quick_bio ?? '—' },
            { header: 'Calls', cell: (caller) => caller.call_count },
            { header: 'Last call', cell: (caller) => formatDateTime(caller.last_call_at) },
          ]}
        />
      ) : null}
      <LoadMore list={callers} />
    </>
  );
}
