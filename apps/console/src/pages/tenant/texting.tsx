import { smsTemplateBuiltInVariables } from '@neurosphere/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { api, ok } from '../../api/client';
import { atLeast } from '../../api/session';
import { DataTable } from '../../components/data-table';
import { LoadMore, useCursorList } from '../../components/load-more';
import { tenantQueryKey, useTenant } from '../../components/tenant-layout';
import { ConfirmButton, EmptyState, ErrorNotice, formatDateTime, Loading, PageHeader, SuccessNotice, TextInput } from '../../components/ui';

/** Texting: the SMS templates, the log of texts sent and received, and the numbers that opted out. */
export function TextingPage() {
  const { customerId, role } = useTenant();
  const canEdit = atLeast(role, 'admin');
  return (
    <>
      <PageHeader title="Texting" />
      <Templates customerId={customerId} canEdit={canEdit} />
      <OptOuts customerId={customerId} canEdit={canEdit} />
      <SmsLog customerId={customerId} />
    </>
  );
}

function Templates({ customerId, canEdit }: { customerId: number; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const key = tenantQueryKey(customerId, 'sms-templates');
  const templates = useQuery({ queryKey: key, queryFn: () => ok(api.tenant.listSmsTemplates({ params: { customerId } })) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });
  const remove = useMutation({
    mutationFn: (templateId: string) => ok(api.tenant.deleteSmsTemplate({ params: { customerId, templateId } })),
    onSettled: refresh,
  });
  return (
    <section aria-labelledby="templates-heading">
      <h2 id="templates-heading">Templates</h2>
      <ErrorNotice error={templates.error ?? remove.error} />
      {templates.isPending ? <Loading what="templates" /> : null}
      {templates.data && templates.data.templates.length === 0 ? (
        <EmptyState title="No templates yet">
          {canEdit
            ? 'Write the texts your agent and your team send, for example a follow-up after a missed call, below.'
            : 'An admin of your team can add the texts your agent sends.'}
        </EmptyState>
      ) : null}
      {templates.data && templates.data.templates.length > 0 ? (
        <DataTable
          caption="SMS templates, by name"
          captionHidden
          rows={templates.data.templates}
          rowKey={(template) => template.id}
          columns={[
            { header: 'Name', cell: (template) => template.name },
            { header: 'Text', cell: (template) => template.body },
            { header: 'Updated', cell: (template) => formatDateTime(template.updated_at) },
            ...(canEdit
              ? [
                  {
                    header: 'Actions',
                    cell: (template: { id: string; name: string }) => (
                      <ConfirmButton
                        label={`Delete ${template.name}`}
                        title="Delete this template?"
                        confirmLabel="Delete"
                        onConfirm={() => remove.mutate(template.id)}
                      >
                        The agent and your team can no longer send {template.name}.
                      </ConfirmButton>
                    ),
                  },
                ]
              : []),
          ]}
        />
      ) : null}
      {canEdit ? <TemplateForm customerId={customerId} onSaved={refresh} /> : null}
    </section>
  );
}

function TemplateForm({ customerId, onSaved }: { customerId: number; onSaved: () => unknown }) {
  const [name, setName] = useState('');
  const [body, setBody] = useState('');
  const create = useMutation({
    mutationFn: () => ok(api.tenant.createSmsTemplate({ params: { customerId }, body: { name, body } })),
    onSuccess: () => {
      setName('');
      setBody('');
      return onSaved();
    },
  });
  return (
    <Form
      className="card stack"
      aria-label="New template"
      onSubmit={(event) => {
        event.preventDefault();
        create.mutate();
      }}
    >
      <TextInput label="Template name" isRequired placeholder="missed-call" value={name} onChange={setName} />
      <TextInput
        label="Message"
        multiline
        isRequired
        value={body}
        onChange={setBody}
        description={`May use ${smsTemplateBuiltInVariables.map((variable) => `{{${variable}}}`).join(', ')} and your template's fields.`}
      />
      <ErrorNotice error={create.error} />
      {create.data ? <SuccessNotice>Template {create.data.template.name} saved.</SuccessNotice> : null}
      <div>
        <Button type="submit" className="button button-primary" isDisabled={create.isPending}>
          Add template
        </Button>
      </div>
    </Form>
  );
}

function OptOuts({ customerId, canEdit }: { customerId: number; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const key = tenantQueryKey(customerId, 'sms-opt-outs');
  const optOuts = useQuery({ queryKey: key, queryFn: () => ok(api.tenant.listSmsOptOuts({ params: { customerId } })) });
  const [phone, setPhone] = useState('');
  const add = useMutation({
    mutationFn: () => ok(api.tenant.addSmsOptOut({ params: { customerId }, body: { phone } })),
    onSuccess: () => {
      setPhone('');
      return queryClient.invalidateQueries({ queryKey: key });
    },
  });
  return (
    <section aria-labelledby="opt-outs-heading">
      <h2 id="opt-outs-heading">Numbers that are not texted</h2>
      <p className="muted">A caller who texts STOP is added here; only their own START text takes them off again.</p>
      <ErrorNotice error={optOuts.error} />
      {optOuts.isPending ? <Loading what="opt-outs" /> : null}
      {optOuts.data && optOuts.data.opt_outs.length === 0 ? <p>Nobody has opted out.</p> : null}
      {optOuts.data && optOuts.data.opt_outs.length > 0 ? (
        <DataTable
          caption="Opted-out numbers, newest first"
          captionHidden
          rows={optOuts.data.opt_outs}
          rowKey={(optOut) => optOut.phone}
          columns={[
            { header: 'Number', cell: (optOut) => optOut.phone },
            { header: 'How', cell: (optOut) => (optOut.keyword ? `Texted ${optOut.keyword}` : 'Added by your team') },
            { header: 'Since', cell: (optOut) => formatDateTime(optOut.opted_out_at) },
          ]}
        />
      ) : null}
      {canEdit ? (
        <Form
          className="inline-form"
          aria-label="Stop texting a number"
          onSubmit={(event) => {
            event.preventDefault();
            add.mutate();
          }}
        >
          <TextInput label="Number to stop texting" type="tel" isRequired placeholder="+12125550123" value={phone} onChange={setPhone} />
          <Button type="submit" className="button" isDisabled={add.isPending}>
            Stop texting this number
          </Button>
        </Form>
      ) : null}
      <ErrorNotice error={add.error} />
    </section>
  );
}

function SmsLog({ customerId }: { customerId: number }) {
  const log = useCursorList({
    queryKey: tenantQueryKey(customerId, 'sms-messages'),
    fetchPage: (cursor) => ok(api.tenant.listSmsLog({ params: { customerId }, query: { limit: 50, cursor } })),
    rowsOf: (page) => page.messages,
  });
  return (
    <section aria-labelledby="log-heading">
      <h2 id="log-heading">Texts sent and received</h2>
      <ErrorNotice error={log.error} />
      {log.isPending ? <Loading what="texts" /> : null}
      {log.isSuccess && log.rows.length === 0 ? (
        <EmptyState title="No texts yet">
          Texts your agent sends after a call, and the replies callers send to your number, are listed here.
        </EmptyState>
      ) : null}
      {log.rows.length > 0 ? (
        <DataTable
          caption="Texts, newest first"
          captionHidden
          rows={log.rows}
          rowKey={(message) => message.id}
          columns={[
            { header: 'When', cell: (message) => formatDateTime(message.created_at) },
            { header: 'Direction', cell: (message) => (message.direction === 'inbound' ? `From ${message.from}` : `To ${message.to}`) },
            { header: 'Text', cell: (message) => message.body },
            {
              header: 'Status',
              cell: (message) => (message.error_message ? `${message.status}: ${message.error_message}` : message.status),
            },
          ]}
        />
      ) : null}
      <LoadMore list={log} />
    </section>
  );
}
