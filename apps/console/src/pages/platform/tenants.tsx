import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button } from 'react-aria-components';
import { api, ok } from '../../api/client';
import { DataTable } from '../../components/data-table';
import { LoadMore, useCursorList } from '../../components/load-more';
import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../components/ui';

const SUSPENDED_MESSAGE = 'This service is not available right now. Please call again later.';

export function PlatformTenantsPage() {
  const queryClient = useQueryClient();
  const tenants = useCursorList({
    queryKey: ['platform', 'tenants'],
    fetchPage: (cursor) => ok(api.platform.listTenants({ query: { limit: 50, cursor } })),
    rowsOf: (page) => page.tenants,
  });
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
      <PageHeader title="Tenants" />
      <ErrorNotice error={tenants.error ?? suspend.error ?? resume.error} />
      {tenants.isPending ? <Loading what="tenants" /> : null}
      {tenants.isSuccess && tenants.rows.length === 0 ? <EmptyState title="No tenants yet">Onboard the first business with POST /v1/platform/tenants.</EmptyState> : null}
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
            { header: 'Numbers', cell: (tenant) => tenant.phone_numbers.join(', ') || '—' },
            { header: 'Status', cell: (tenant) => tenant.status },
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
      <LoadMore list={tenants} />
    </>
  );
}
