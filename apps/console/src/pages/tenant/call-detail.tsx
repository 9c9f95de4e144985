import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-aria-components';
import { useParams } from 'react-router';
import { api, ok } from '../../api/client';
import { tenantQueryKey, useTenant } from '../../components/tenant-layout';
import { ErrorNotice, FieldFacts, formatDateTime, formatDuration, Loading, PageHeader } from '../../components/ui';

const SPEAKER = { user: 'Caller', assistant: 'Agent', system: 'System' } as const;

export function CallDetailPage() {
  const { customerId } = useTenant();
  const { callId = '' } = useParams();
  const call = useQuery({
    queryKey: tenantQueryKey(customerId, 'call', callId),
    queryFn: () => ok(api.tenant.getCall({ params: { customerId, callId } })),
  });
  const detail = call.data?.call;
  return (
    <>
      <p>
        <Link href={`/customer/${customerId}/admin/calls`}>← All calls</Link>
      </p>
      <PageHeader title={detail ? `Call from ${detail.from_number}` : 'Call'} />
      <ErrorNotice error={call.error} />
      {call.isPending ? <Loading what="the call" /> : null}
      {detail ? (
        <>
          <dl className="facts">
            <dt>Started</dt>
            <dd>{formatDateTime(detail.started_at)}</dd>
            <dt>Duration</dt>
            <dd>{formatDuration(detail.duration_seconds)}</dd>
            <dt>Outcome</dt>
            <dd>{detail.outcome ?? '—'}</dd>
            <dt>Status</dt>
            <dd>{detail.status}</dd>
            <dt>Number called</dt>
            <dd>{detail.to_number}</dd>
          </dl>
          <section aria-labelledby="summary-heading" className="card">
            <h2 id="summary-heading">Summary</h2>
            {!detail.summary ? (
              <p className="muted">No summary yet: it is written a few seconds after the call ends.</p>
            ) : detail.summary.status === 'pending' ? (
              <p className="muted">The summary is being written.</p>
            ) : (
              <>
                <p data-testid="call-summary">{detail.summary.summary}</p>
                {detail.summary.key_topics.length > 0 ? <p>Topics: {detail.summary.key_topics.join(', ')}</p> : null}
                {Object.keys(detail.summary.extracted).length > 0 ? (
                  <dl className="facts">
                    <FieldFacts fields={detail.summary.extracted} />
                  </dl>
                ) : null}
              </>
            )}
          </section>
          <section aria-labelledby="transcript-heading">
            <h2 id="transcript-heading">Transcript</h2>
            {detail.turns.length === 0 ? <p className="muted">Nothing was said in this call.</p> : null}
            <ol className="transcript">
              {detail.turns.map((turn) => (
                <li key={turn.turn_index} className={`turn turn-${turn.role}`}>
                  <span className="turn-speaker">{SPEAKER[turn.role]}</span>
                  <p>{turn.text}</p>
                  {turn.total_ms !== null ? (
                    <span className="turn-timing">
                      answered in {turn.total_ms} ms{turn.llm_ms !== null ? ` (model ${turn.llm_ms} ms` : ''}
                      {turn.llm_ms !== null && turn.tts_ms !== null ? `, speech ${turn.tts_ms} ms` : ''}
                      {turn.llm_ms !== null ? ')' : ''}
                    </span>
                  ) : null}
                </li>
              ))}
            </ol>
          </section>
        </>
      ) : null}
    </>
  );
}
