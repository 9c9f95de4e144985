import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-aria-components';
import { useParams } from 'react-router';
import { api, ok } from '../../api/client';
import { tenantQueryKey, useTenant } from '../../components/tenant-layout';
import { ErrorNotice, FieldFacts, formatDateTime, Loading, PageHeader } from '../../components/ui';

export function CallerDetailPage() {
  const { customerId } = useTenant();
  const { callerId = '' } = useParams();
  const caller = useQuery({
    queryKey: tenantQueryKey(customerId, 'caller', callerId),
    queryFn: () => ok(api.tenant.getCaller({ params: { customerId, callerId } })),
  });
  const detail = caller.data?.caller;
  return (
    <>
      <p>
        <Link href={`/customer/${customerId}/admin/callers`}>← All callers</Link>
      </p>
      <PageHeader title={detail ? (detail.name ?? detail.phone) : 'Caller'} />
      <ErrorNotice error={caller.error} />
      {caller.isPending ? <Loading what="the caller" /> : null}
      {detail ? (
        <>
          <dl className="facts">
            <dt>Phone</dt>
            <dd>
              <Link href={`/customer/${customerId}/admin/calls?caller=${encodeURIComponent(detail.phone)}`}>{detail.phone}</Link>
            </dd>
            <dt>Quick Bio</dt>
            <dd>{detail.quick_bio ?? '—'}</dd>
            <dt>Calls</dt>
            <dd>{detail.call_count}</dd>
            <dt>First call</dt>
            <dd>{formatDateTime(detail.first_call_at)}</dd>
            <dt>Last call</dt>
            <dd>{formatDateTime(detail.last_call_at)}</dd>
            <FieldFacts fields={detail.variables} />
          </dl>
          <section aria-labelledby="summaries-heading">
            <h2 id="summaries-heading">Recent call summaries</h2>
            {detail.recent_summaries.length === 0 ? <p className="muted">No summaries yet.</p> : null}
            <ul className="plain-list">
              {detail.recent_summaries.map((summary) => (
                <li key={summary.call_sid} className="card">
                  <p className="muted">{formatDateTime(summary.created_at)}</p>
                  <p>{summary.summary}</p>
                  {summary.key_topics.length > 0 ? <p>Topics: {summary.key_topics.join(', ')}</p> : null}
                </li>
              ))}
            </ul>
          </section>
        </>
      ) : null}
    </>
  );
}
