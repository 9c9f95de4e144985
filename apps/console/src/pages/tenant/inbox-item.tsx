import type { InboxItem } from '@neurosphere/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Form, Link } from 'react-aria-components';
import { useParams } from 'react-router';
import { api, ok } from '../../api/client';
import { atLeast } from '../../api/session';
import { tenantQueryKey, useTenant } from '../../components/tenant-layout';
import { ErrorNotice, formatDateTime, Loading, PageHeader, TextInput } from '../../components/ui';
import { callerLabel, INBOX_KIND_LABEL, INBOX_STATUS_LABEL } from './inbox';

export function InboxItemPage() {
  const { customerId, role } = useTenant();
  const { itemId = '' } = useParams();
  const queryClient = useQueryClient();
  const itemKey = tenantQueryKey(customerId, 'inbox-item', itemId);
  const item = useQuery({ queryKey: itemKey, queryFn: () => ok(api.tenant.getInboxItem({ params: { customerId, itemId } })) });
  // The answer is the item as it is now; the lists (and the home page's counts) are read again.
  const saved = (answer: { item: InboxItem }) => {
    queryClient.setQueryData(itemKey, { success: true, item: answer.item });
    return queryClient.invalidateQueries({ queryKey: tenantQueryKey(customerId, 'inbox') });
  };
  const setStatus = useMutation({
    mutationFn: (status: InboxItem['status']) => ok(api.tenant.updateInboxItem({ params: { customerId, itemId }, body: { status } })),
    onSuccess: saved,
  });
  const detail = item.data?.item;
  const base = `/customer/${customerId}/admin`;
  const canEdit = atLeast(role, 'admin');
  return (
    <>
      <p>
        <Link href={`${base}/inbox`}>← All of the inbox</Link>
      </p>
      <PageHeader title={detail ? `${INBOX_KIND_LABEL[detail.kind]} from ${callerLabel(detail.caller)}` : 'Inbox item'}>
        {detail && canEdit ? (
          detail.status === 'done' ? (
            <Button className="button" isDisabled={setStatus.isPending} onPress={() => setStatus.mutate('new')}>
              Reopen
            </Button>
          ) : (
            <>
              {detail.status === 'new' ? (
                <Button className="button" isDisabled={setStatus.isPending} onPress={() => setStatus.mutate('in_progress')}>
                  I am on it
                </Button>
              ) : null}
              <Button className="button button-primary" isDisabled={setStatus.isPending} onPress={() => setStatus.mutate('done')}>
                Mark done
              </Button>
            </>
          )
        ) : null}
      </PageHeader>
      <ErrorNotice error={item.error ?? setStatus.error} />
      {item.isPending ? <Loading what="the inbox item" /> : null}
      {detail ? (
        <>
          <dl className="facts">
            <dt>Status</dt>
            <dd data-testid="inbox-status">
              {INBOX_STATUS_LABEL[detail.status]}
              {detail.done_at ? ` (${formatDateTime(detail.done_at)})` : ''}
            </dd>
            <dt>Received</dt>
            <dd>{formatDateTime(detail.created_at)}</dd>
            <dt>Caller</dt>
            <dd>
              {detail.caller.caller_id ? (
                <Link href={`${base}/callers/${detail.caller.caller_id}`}>{callerLabel(detail.caller)}</Link>
              ) : (
                callerLabel(detail.caller)
              )}
            </dd>
            <dt>Urgency</dt>
            <dd>{detail.urgency}</dd>
            {detail.callback_time ? (
              <>
                <dt>Call back</dt>
                <dd>{detail.callback_time}</dd>
              </>
            ) : null}
            {detail.call?.id ? (
              <>
                <dt>Taken on</dt>
                <dd>
                  <Link href={`${base}/calls/${detail.call.id}`}>the call (transcript and summary)</Link>
                </dd>
              </>
            ) : null}
          </dl>
          <section aria-labelledby="reason-heading" className="card">
            <h2 id="reason-heading">{detail.kind === 'callback' ? 'What it is about' : 'Message'}</h2>
            <p data-testid="inbox-reason">{detail.reason}</p>
          </section>
          <section aria-labelledby="notes-heading">
            <h2 id="notes-heading">Notes</h2>
            {detail.notes.length === 0 ? <p className="muted">No notes yet.{canEdit ? ' Add one below for your team.' : ''}</p> : null}
            <ol className="plain-list">
              {detail.notes.map((note) => (
                <li key={note.id} className="card">
                  <p>{note.body}</p>
                  <span className="muted">{formatDateTime(note.created_at)}</span>
                </li>
              ))}
            </ol>
            {canEdit ? <NoteForm customerId={customerId} itemId={itemId} onSaved={saved} /> : null}
          </section>
        </>
      ) : null}
    </>
  );
}

function NoteForm({
  customerId,
  itemId,
  onSaved,
}: {
  customerId: number;
  itemId: string;
  onSaved: (answer: { item: InboxItem }) => unknown;
}) {
  const [body, setBody] = useState('');
  const addNote = useMutation({
    mutationFn: () => ok(api.tenant.addInboxNote({ params: { customerId, itemId }, body: { body } })),
    onSuccess: (answer) => {
      setBody('');
      return onSaved(answer);
    },
  });
  return (
    <Form
      className="stack"
      onSubmit={(event) => {
        event.preventDefault();
        addNote.mutate();
      }}
    >
      <TextInput label="New note" multiline isRequired value={body} onChange={setBody} />
      <ErrorNotice error={addNote.error} />
      <div>
        <Button type="submit" className="button" isDisabled={addNote.isPending}>
          Add note
        </Button>
      </div>
    </Form>
  );
}
