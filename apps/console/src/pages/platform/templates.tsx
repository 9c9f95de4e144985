import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import { EmptyState, ErrorNotice, formatDateTime, Loading, PageHeader } from '../../components/ui';

export function PlatformTemplatesPage() {
  const templates = useQuery({ queryKey: ['platform', 'templates'], queryFn: () => ok(api.platform.listTemplateVersions()) });
  const versions = templates.data?.versions ?? [];
  return (
    <>
      <PageHeader title="Industry templates" />
      <ErrorNotice error={templates.error} />
      {templates.isPending ? <Loading what="templates" /> : null}
      {templates.isSuccess && versions.length === 0 ? <EmptyState title="No templates">Publish one with POST /v1/platform/templates.</EmptyState> : null}
      {versions.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Template versions</caption>
            <thead>
              <tr>
                <th scope="col">Template</th>
                <th scope="col">Industry</th>
                <th scope="col">Version</th>
                <th scope="col">Published</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((version) => (
                <tr key={version.id}>
                  <th scope="row">{version.name}</th>
                  <td>{version.industry}</td>
                  <td>{version.version}</td>
                  <td>{formatDateTime(version.published_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
