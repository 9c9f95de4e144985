import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import { DataTable } from '../../components/data-table';
import { EmptyState, ErrorNotice, formatDateTime, Loading, PageHeader } from '../../components/ui';

export function PlatformTemplatesPage() {
  const templates = useQuery({ queryKey: ['platform', 'templates'], queryFn: () => ok(api.platform.listTemplateVersions()) });
  const versions = templates.data?.versions ?? [];
  return (
    <>
      <PageHeader title="Industry templates" />
      <ErrorNotice error={templates.error} />
      {templates.isPending ? <Loading what="templates" /> : null}
      {templates.isSuccess && versions.length === 0 ? (
        <EmptyState title="No templates">Publish one with POST /v1/platform/templates.</EmptyState>
      ) : null}
      {versions.length > 0 ? (
        <DataTable
          caption="Template versions"
          captionHidden
          rows={versions}
          rowKey={(version) => version.id}
          columns={[
            { header: 'Template', cell: (version) => version.name },
            { header: 'Industry', cell: (version) => version.industry },
            { header: 'Version', cell: (version) => version.version },
            { header: 'Published', cell: (version) => formatDateTime(version.published_at) },
          ]}
        />
      ) : null}
    </>
  );
}
