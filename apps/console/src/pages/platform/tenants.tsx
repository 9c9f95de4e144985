import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { Button } from 'react-aria-components';
import { api, ok } from '../../api/client';
import { LoadMore } from '../../components/load-more';
import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../components/ui';

const SUSPENDED_MESSAGE = 'This service is not available right now. Please call again later.';

export function PlatformTenantsPage() {
  const queryClient = useQueryClient();
  const tenants = useInfiniteQuery({
    queryKey: ['platform', 'tenants'],
    queryFn: ({ pageParam }) => ok(api.platform.listTenants({ query: { limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } })),
    initialPageParam: '',
    getNextPageParam: (page) => page.next_cursor ?? undefined,
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
  const rows = tenants.data?.pages.flatMap((page) => page.tenants) ?? [];
  return (
    <>
      <PageHeader title="Tenants" />
      <ErrorNotice error={tenants.error ?? suspend.error ?? resume.error} />
      {tenants.isPending ? <Loading what="tenants" /> : null}
      {tenants.isSuccess && rows.length === 0 ? <EmptyState title="No tenants yet">Onboard the first business with POST /v1/platform/tenants.</EmptyState> : null}
      {rows.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Tenants, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">Business</th>
                <th scope="col">Industry</th>
                <th scope="col">Numbers</th>
                <th scope="col">Status</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((tenant) => (
                <tr key={tenant.customer_id}>
                  <th scope="row">
                    {tenant.business_name} <span className="muted">#{tenant.customer_id}</span>
                  </th>
                  <td>
                    {tenant.industry} v{tenant.template_version}
                  </td>
                  <td>{tenant.phone_numbers.join(', ') || '—'}</td>
                  <td>{tenant.status}</td>
                  <td>
                    {tenant.status === 'active' ? (
                      <Button className="button button-danger-quiet" onPress={() => suspend.mutate(tenant.customer_id)}>
                        Suspend {tenant.business_name}
                      </Button>
                    ) : (
                      <Button className="button" onPress={() => resume.mutate(tenant.customer_id)}>
                        Resume {tenant.business_name}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <LoadMore hasNextPage={tenants.hasNextPage} isFetchingNextPage={tenants.isFetchingNextPage} fetchNextPage={tenants.fetchNextPage} />
    </>
  );
}
