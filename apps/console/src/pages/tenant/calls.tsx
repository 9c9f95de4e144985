import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { Link, useSearchParams } from 'react-router';
import { api, ok } from '../../api/client';
import { LoadMore } from '../../components/load-more';
import { tenantQueryKey, useTenant } from '../../components/tenant-layout';
import { EmptyState, ErrorNotice, formatDateTime, formatDuration, Loading, PageHeader, TextInput } from '../../components/ui';

const FILTERS = ['caller', 'from', 'to'] as const;

export function CallsPage() {
  const { customerId } = useTenant();
  const [params, setParams] = useSearchParams();
  const applied = Object.fromEntries(FILTERS.map((name) => [name, params.get(name) ?? ''])) as Record<(typeof FILTERS)[number], string>;
  const [draft, setDraft] = useState(applied);
  const query = Object.fromEntries(Object.entries(applied).filter(([, value]) => value !== ''));
  const calls = useInfiniteQuery({
    queryKey: tenantQueryKey(customerId, 'calls', query),
    queryFn: ({ pageParam }) => ok(api.tenant.listCalls({ params: { customerId }, query: { ...query, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } })),
    initialPageParam: '',
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
  const rows = calls.data?.pages.flatMap((page) => page.calls) ?? [];
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
        <TextInput label="Caller number" type="tel" placeholder="+12125550123" value={draft.caller} onChange={(caller) => setDraft({ ...draft, caller })} />
        <TextInput label="From" type="date" value={draft.from} onChange={(from) => setDraft({ ...draft, from })} />
        <TextInput label="Until (not included)" type="date" value={draft.to} onChange={(to) => setDraft({ ...draft, to })} />
        <Button type="submit" className="button">
          Filter
        </Button>
      </Form>
      <ErrorNotice error={calls.error} />
      {calls.isPending ? <Loading what="calls" /> : null}
      {calls.isSuccess && rows.length === 0 ? (
        filtered ? (
          <EmptyState title="No calls match">Change or clear the filters to see more calls.</EmptyState>
        ) : (
          <EmptyState title="No calls yet">Calls appear here as soon as your agent answers one. Call your business number to try it.</EmptyState>
        )
      ) : null}
      {rows.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Calls, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Caller</th>
                <th scope="col">Duration</th>
                <th scope="col">Outcome</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((call) => (
                <tr key={call.id}>
                  <th scope="row">
                    <Link to={call.id}>{formatDateTime(call.started_at)}</Link>
                  </th>
                  <td>{call.from_number}</td>
                  <td>{formatDuration(call.duration_seconds)}</td>
                  <td>{call.outcome ?? '—'}</td>
                  <td>{call.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <LoadMore hasNextPage={calls.hasNextPage} isFetchingNextPage={calls.isFetchingNextPage} fetchNextPage={calls.fetchNextPage} />
    </>
  );
}
