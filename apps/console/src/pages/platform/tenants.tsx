import type { tenantHealthSchema } from '@neurosphere/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Link } from 'react-aria-components';
import type { z } from 'zod';
import { api, ok } from '../../api/client';
import { DataTable } from '../../components/data-table';
import { LoadMore, useCursorList } from '../../components/load-more';
import { EmptyState, ErrorNotice, formatDateTime, Loading, PageHeader } from '../../components/ui';

const PAGE_SIZE = 50;

const SUSPENDED_MESSAGE = 'This service is not available right now. Please call again later.';

export function PlatformTenantsPage() {
  const queryClient = useQueryClient();
  const tenants = useCursorList({
    queryKey: ['platform', 'tenants'],
    fetchPage: (cursor) => ok(api.platform.listTenants({ query: { limit: PAGE_SIZE, cursor } })),
    rowsOf: (page) => page.tenants,
  });
  // Health comes page by page in the same order (oldest first): one health page per tenants page.
  const health = useCursorList({
    queryKey: ['platform', 'tenants', 'health'],
    fetchPage: (cursor) => ok(api.platform.listTenantHealth({ query: { limit: PAGE_SIZE, cursor } })),
    rowsOf: (page) => page.tenants,
  });
  const healthOf = new Map(health.rows.map((row) => [row.customer_id, row]));
  const loadMore = {
    hasNextPage: tenants.hasNextPage,
    isFetchingNextPage: tenants.isFetchingNextPage,
    fetchNextPage: () => Promise.all([tenants.fetchNextPage(), health.hasNextPage ? health.fetchNextPage() : undefined]),
  };
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['platform', 'tenants'] });
  const suspend = useMutation({
    mutationFn: (customerId: number) => ok(api.platform.suspendTenant({ params: { customerId }, body: { message: SUSPENDED_MESSAGE } })),
    onSettled: refresh,
  });
  const resume = useMutation({
    mutationFn: (customerId: number) => ok(api.platform.resumeTenant({ params: { customerId }, body: {} })),
    onSettled: refresh,
  });
  return (
    <>
      <PageHeader title="Tenants">
        <Link href="/platform/admin/onboarding" className="button button-primary">
          Onboard a business
        </Link>
      </PageHeader>
      <ErrorNotice error={tenants.error ?? health.error ?? suspend.error ?? resume.error} />
      {tenants.isPending ? <Loading what="tenants" /> : null}
      {tenants.isSuccess && tenants.rows.length === 0 ? (
        <EmptyState title="No tenants yet">
          Onboard the first business with the button above: it buys its number and invites its owner.
        </EmptyState>
      ) : null}
      {tenants.rows.length > 0 ? (
        <DataTable
          caption="Tenants, oldest first"
          captionHidden
          rows={tenants.rows}
          rowKey={(tenant) => tenant.customer_id}
          columns={[
            {
              header: 'Business',
              cell: (tenant) => (
                <>
                  {tenant.business_name} <span className="muted">#{tenant.customer_id}</span>
                </>
              ),
            },
            { header: 'Industry', cell: (tenant) => `${tenant.industry} v${tenant.template_version}` },
            {
              header: 'Numbers',
              cell: (tenant) => <NumbersHealth numbers={healthOf.get(tenant.customer_id)?.numbers} fallback={tenant.phone_numbers} />,
            },
            { header: 'Status', cell: (tenant) => tenant.status },
            { header: 'Calls (24 h)', cell: (tenant) => healthCell(healthOf.get(tenant.customer_id), (row) => String(row.calls_24h)) },
            {
              header: 'Failed (24 h)',
              cell: (tenant) => healthCell(healthOf.get(tenant.customer_id), (row) => String(row.failed_calls_24h)),
            },
            {
              header: 'Last call',
              cell: (tenant) => healthCell(healthOf.get(tenant.customer_id), (row) => formatDateTime(row.last_call_at)),
            },
            {
              header: 'Actions',
              cell: (tenant) =>
                tenant.status === 'active' ? (
                  <Button className="button button-danger-quiet" onPress={() => suspend.mutate(tenant.customer_id)}>
                    Suspend {tenant.business_name}
                  </Button>
                ) : (
                  <Button className="button" onPress={() => resume.mutate(tenant.customer_id)}>
                    Resume {tenant.business_name}
                  </Button>
                ),
            },
          ]}
        />
      ) : null}
      <LoadMore list={loadMore} />
    </>
  );
}

type TenantHealth = z.infer<typeof tenantHealthSchema>;

function healthCell(row: TenantHealth | undefined, show: (row: TenantHealth) => string): string {
  return row ? show(row) : '—';
}

/** Each number, and whether Twilio's webhooks for it point at this platform. */
function NumbersHealth({ numbers, fallback }: { numbers: TenantHealth['numbers'] | undefined; fallback: string[] }) {
  if (!numbers) return <>{fallback.join(', ') || '—'}</>;
  if (numbers.length === 0) return <>—</>;
  return (
    <ul className="plain-list">
      {numbers.map((number) => (
        <li key={number.phone_number}>
          {number.phone_number}{' '}
          <span className={number.webhooks_point_here ? 'muted' : 'warning-text'}>
            {number.webhooks_point_here ? 'webhooks OK' : 'webhooks not pointing here'}
          </span>
        </li>
      ))}
    </ul>
  );
}
