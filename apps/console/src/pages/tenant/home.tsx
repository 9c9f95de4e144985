import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { Link } from 'react-router';
import { api, ok } from '../../api/client';
import { formatDay } from '../../components/calls-per-day-chart';
import { DataTable } from '../../components/data-table';
import { tenantQueryKey, useTenant } from '../../components/tenant-layout';
import { ErrorNotice, Loading, PageHeader } from '../../components/ui';

const CallsPerDayChart = lazy(() => import('../../components/calls-per-day-chart'));

const CHART_DAYS = 14;

/** The tenant's front page: today at a glance, and the last two weeks of calls. */
export function HomePage() {
  const { customerId } = useTenant();
  const perDay = useQuery({
    queryKey: tenantQueryKey(customerId, 'calls', 'per-day', CHART_DAYS),
    queryFn: () => ok(api.tenant.getCallsPerDay({ params: { customerId }, query: { days: CHART_DAYS } })),
  });
  // Under the inbox's key: marking an item done on its page reads the count again.
  const inbox = useQuery({
    queryKey: tenantQueryKey(customerId, 'inbox', 'counts'),
    queryFn: () => ok(api.tenant.countInbox({ params: { customerId } })),
  });
  const days = perDay.data?.days ?? [];
  const today = days.at(-1);
  const total = days.reduce((sum, day) => sum + day.calls, 0);
  return (
    <>
      <PageHeader title="Home" />
      <ErrorNotice error={perDay.error ?? inbox.error} />
      <ul className="stat-cards" aria-label="Today">
        <li className="card stat">
          <span className="stat-label">Calls today</span>
          <span className="stat-value" data-testid="calls-today">
            {today ? today.calls : '…'}
          </span>
          <Link to="calls">See all calls</Link>
        </li>
        <li className="card stat">
          <span className="stat-label">Minutes on the phone today</span>
          <span className="stat-value" data-testid="minutes-today">
            {today ? Math.round(today.duration_seconds / 60) : '…'}
          </span>
        </li>
        <li className="card stat">
          <span className="stat-label">New in the inbox</span>
          <span className="stat-value" data-testid="inbox-new">
            {inbox.data ? inbox.data.counts.new : '…'}
          </span>
          <Link to="inbox?status=new">Open the inbox</Link>
        </li>
      </ul>
      <section aria-labelledby="per-day-heading" className="card">
        <h2 id="per-day-heading">Calls per day, last {CHART_DAYS} days</h2>
        {perDay.isPending ? <Loading what="calls per day" /> : null}
        {perDay.data && total === 0 ? (
          <p className="muted">
            No calls in the last {CHART_DAYS} days. Call your business number to try your agent: the call shows up here and under Calls.
          </p>
        ) : null}
        {perDay.data && total > 0 ? (
          <>
            <Suspense fallback={<Loading what="the chart" />}>
              <CallsPerDayChart days={days} />
            </Suspense>
            <details>
              <summary>Show as a table</summary>
              <DataTable
                caption={`Calls per day (${perDay.data.time_zone})`}
                rows={days}
                rowKey={(day) => day.date}
                columns={[
                  { header: 'Day', cell: (day) => formatDay(day.date) },
                  { header: 'Calls', cell: (day) => day.calls },
                  { header: 'Minutes', cell: (day) => Math.round(day.duration_seconds / 60) },
                ]}
              />
            </details>
          </>
        ) : null}
      </section>
    </>
  );
}
