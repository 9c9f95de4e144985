import type { OnboardTenantDocument, OnboardTenantResponse } from '@neurosphere/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ReactNode } from 'react';
import { Button, Form, Label, ProgressBar, Radio, RadioGroup } from 'react-aria-components';
import { api, ok } from '../../api/client';
import { DataTable } from '../../components/data-table';
import { EmptyState, ErrorNotice, Loading, PageHeader, SuccessNotice, TextInput } from '../../components/ui';

/**
 * The onboarding wizard: the steps collect one onboarding document, and "Bring it live" sends it
 * to POST /v1/platform/tenants, which does everything in one idempotent request (Twilio account,
 * number with its webhooks, tenant, owner invitation). The Idempotency-Key is made once per
 * wizard, so "Try again" after a failure resumes that onboarding and never buys a second number.
 *
 * The number is chosen by search criteria: the first number Twilio offers for them is bought. A
 * tenant's numbers can only be searched in its own Twilio account, which does not exist before the
 * onboarding creates it.
 */

const STEPS = ['Business', 'Template', 'Agent', 'Number', 'Owner', 'Review'] as const;
type StepName = (typeof STEPS)[number];

interface Draft {
  business_name: string;
  transfer_number: string;
  help_text: string;
  template: string;
  agent_name: string;
  greeting: string;
  personality: string;
  voice_id: string;
  twilio_account: 'subaccount' | 'platform';
  number_kind: 'search' | 'existing';
  area_code: string;
  contains: string;
  existing_number: string;
  owner_email: string;
}

const EMPTY_DRAFT: Draft = {
  business_name: '',
  transfer_number: '',
  help_text: '',
  template: '',
  agent_name: '',
  greeting: '',
  personality: '',
  voice_id: '',
  twilio_account: 'subaccount',
  number_kind: 'search',
  area_code: '',
  contains: '',
  existing_number: '',
  owner_email: '',
};

/** A template choice is `<industry>@<version>` (a radio value is one string). */
const templateKey = (industry: string, version: number) => `${industry}@${version}`;

function documentOf(draft: Draft): OnboardTenantDocument {
  const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());
  const at = draft.template.lastIndexOf('@');
  return {
    business_name: draft.business_name,
    industry: draft.template.slice(0, at),
    template_version: Number(draft.template.slice(at + 1)),
    agent_name: draft.agent_name,
    greeting: draft.greeting,
    personality: optional(draft.personality),
    voice_id: optional(draft.voice_id),
    transfer_number: optional(draft.transfer_number),
    help_text: optional(draft.help_text),
    twilio_account: { kind: draft.twilio_account },
    number:
      draft.number_kind === 'existing'
        ? { kind: 'existing', phone_number: draft.existing_number }
        : { kind: 'search', area_code: optional(draft.area_code), contains: optional(draft.contains) },
    owner_email: draft.owner_email,
  };
}

export function PlatformOnboardingPage() {
  const queryClient = useQueryClient();
  const [step, setStep] = useState<StepName>('Business');
  const [draft, setDraft] = useState<Draft>(EMPTY_DRAFT);
  const [idempotencyKey] = useState(() => `console-${crypto.randomUUID()}`);
  const set =
    <K extends keyof Draft>(key: K) =>
    (value: Draft[K]) =>
      setDraft((current) => ({ ...current, [key]: value }));
  const onboard = useMutation({
    mutationFn: () => ok(api.platform.onboardTenant({ headers: { 'idempotency-key': idempotencyKey }, body: documentOf(draft) })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['platform'] }),
  });
  const index = STEPS.indexOf(step);
  const next = () => setStep(STEPS[index + 1] ?? step);
  const back = index > 0 ? () => setStep(STEPS[index - 1] ?? step) : undefined;

  if (onboard.data) return <Onboarded result={onboard.data} />;
  return (
    <>
      <PageHeader title="Onboard a business" />
      <ol className="steps" aria-label="Onboarding steps">
        {STEPS.map((name, position) => (
          <li key={name} aria-current={name === step ? 'step' : undefined} className={position < index ? 'step-done' : undefined}>
            {name}
          </li>
        ))}
      </ol>
      {step === 'Business' ? (
        <WizardStep title="The business" onNext={next}>
          <TextInput label="Business name" isRequired value={draft.business_name} onChange={set('business_name')} />
          <TextInput
            label="Transfer number (optional)"
            type="tel"
            description="Where the agent transfers callers who ask for a person."
            value={draft.transfer_number}
            onChange={set('transfer_number')}
          />
          <TextInput
            label="Text message help (optional)"
            description="The answer to a HELP text."
            value={draft.help_text}
            onChange={set('help_text')}
          />
        </WizardStep>
      ) : null}
      {step === 'Template' ? <TemplateStep value={draft.template} onChange={set('template')} onNext={next} onBack={back} /> : null}
      {step === 'Agent' ? (
        <WizardStep title="The agent" onNext={next} onBack={back}>
          <TextInput label="Agent name" isRequired value={draft.agent_name} onChange={set('agent_name')} />
          <TextInput
            label="Greeting"
            multiline
            isRequired
            description="The first thing callers hear."
            value={draft.greeting}
            onChange={set('greeting')}
          />
          <TextInput label="Personality (optional)" multiline value={draft.personality} onChange={set('personality')} />
          <TextInput
            label="Voice ID (optional)"
            description="An ElevenLabs voice; empty for the platform's default."
            value={draft.voice_id}
            onChange={set('voice_id')}
          />
        </WizardStep>
      ) : null}
      {step === 'Number' ? (
        <WizardStep title="The phone number" onNext={next} onBack={back}>
          <RadioGroup
            className="field radio-group"
            value={draft.twilio_account}
            onChange={(value) => set('twilio_account')(value as Draft['twilio_account'])}
          >
            <Label>Twilio account</Label>
            <Radio className="radio" value="subaccount">
              A new sub-account of the platform (recommended)
            </Radio>
            <Radio className="radio" value="platform">
              The platform&apos;s own account (demos)
            </Radio>
          </RadioGroup>
          <RadioGroup
            className="field radio-group"
            value={draft.number_kind}
            onChange={(value) => set('number_kind')(value as Draft['number_kind'])}
          >
            <Label>Number</Label>
            <Radio className="radio" value="search">
              Buy a new number
            </Radio>
            <Radio className="radio" value="existing">
              Use a number the account already has
            </Radio>
          </RadioGroup>
          {draft.number_kind === 'search' ? (
            <>
              <TextInput
                label="Area code (optional)"
                inputMode="numeric"
                description="Three digits, e.g. 212."
                value={draft.area_code}
                onChange={set('area_code')}
              />
              <TextInput
                label="Digits it contains (optional)"
                inputMode="numeric"
                description="2-10 digits, * for any digit."
                value={draft.contains}
                onChange={set('contains')}
              />
              <p className="muted">
                The first number Twilio offers with voice and texting that matches is bought when the business goes live.
              </p>
            </>
          ) : (
            <TextInput label="Existing number" type="tel" isRequired value={draft.existing_number} onChange={set('existing_number')} />
          )}
        </WizardStep>
      ) : null}
      {step === 'Owner' ? (
        <WizardStep title="The owner" onNext={next} onBack={back}>
          <TextInput
            label="Owner's email"
            type="email"
            isRequired
            description="They get a one-time invitation link to set a password."
            value={draft.owner_email}
            onChange={set('owner_email')}
          />
        </WizardStep>
      ) : null}
      {step === 'Review' ? (
        <section className="card" aria-labelledby="review-heading">
          <h2 id="review-heading">Review and go live</h2>
          <dl className="facts">
            <Fact term="Business">{draft.business_name}</Fact>
            <Fact term="Template">{draft.template.replace('@', ' v')}</Fact>
            <Fact term="Agent">{draft.agent_name}</Fact>
            <Fact term="Greeting">{draft.greeting}</Fact>
            <Fact term="Twilio account">{draft.twilio_account === 'subaccount' ? 'New sub-account' : 'Platform account'}</Fact>
            <Fact term="Number">
              {draft.number_kind === 'existing'
                ? draft.existing_number
                : `Buy one${draft.area_code ? ` in area code ${draft.area_code}` : ''}${draft.contains ? ` containing ${draft.contains}` : ''}`}
            </Fact>
            <Fact term="Owner">{draft.owner_email}</Fact>
          </dl>
          {onboard.isPending ? (
            <ProgressBar className="progress" isIndeterminate aria-label="Bringing the business live">
              <p>
                Creating the Twilio account, buying the number and pointing its webhooks here, then creating the tenant and the owner&apos;s
                invitation…
              </p>
              <div className="progress-track">
                <div className="progress-fill" />
              </div>
            </ProgressBar>
          ) : null}
          <ErrorNotice error={onboard.error} />
          <div className="wizard-actions">
            <Button className="button" onPress={back} isDisabled={onboard.isPending}>
              Back
            </Button>
            <Button className="button button-primary" onPress={() => onboard.mutate()} isDisabled={onboard.isPending}>
              {onboard.isError ? 'Try again' : 'Bring it live'}
            </Button>
          </div>
          {onboard.isError ? (
            <p className="muted">Trying again resumes this onboarding where it stopped; it never buys a second number.</p>
          ) : null}
        </section>
      ) : null}
    </>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="fact">
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function WizardStep({ title, onNext, onBack, children }: { title: string; onNext: () => void; onBack?: () => void; children: ReactNode }) {
  return (
    <Form
      className="card stack"
      aria-label={title}
      onSubmit={(event) => {
        event.preventDefault();
        onNext();
      }}
    >
      <h2>{title}</h2>
      {children}
      <div className="wizard-actions">
        {onBack ? (
          <Button className="button" onPress={onBack}>
            Back
          </Button>
        ) : null}
        <Button type="submit" className="button button-primary">
          Next
        </Button>
      </div>
    </Form>
  );
}

function TemplateStep({
  value,
  onChange,
  onNext,
  onBack,
}: {
  value: string;
  onChange: (value: string) => void;
  onNext: () => void;
  onBack?: () => void;
}) {
  const templates = useQuery({ queryKey: ['platform', 'templates'], queryFn: () => ok(api.platform.listTemplateVersions()) });
  const versions = templates.data?.versions ?? [];
  if (templates.isPending) return <Loading what="templates" />;
  if (templates.isSuccess && versions.length === 0) {
    return (
      <EmptyState title="No industry templates yet">Publish a template first (see Templates); every business starts from one.</EmptyState>
    );
  }
  return (
    <WizardStep title="Industry template" onNext={onNext} onBack={onBack}>
      <ErrorNotice error={templates.error} />
      <RadioGroup className="field radio-group" isRequired value={value} onChange={onChange}>
        <Label>Template</Label>
        {versions.map((version) => (
          <Radio key={version.id} className="radio" value={templateKey(version.industry, version.version)}>
            {version.name} ({version.industry} v{version.version})
          </Radio>
        ))}
      </RadioGroup>
    </WizardStep>
  );
}

/** The onboarding's answer, then how to reach the new business on the phone. */
function Onboarded({ result }: { result: OnboardTenantResponse }) {
  const { tenant, number, owner_invitation: invitation } = result;
  const numbers = useQuery({
    queryKey: ['platform', 'tenant-numbers', tenant.customer_id],
    queryFn: () => ok(api.platform.listTenantNumbers({ params: { customerId: tenant.customer_id } })),
  });
  const invitationUrl = invitation.token
    ? `${window.location.origin}/accept-invitation#token=${encodeURIComponent(invitation.token)}`
    : null;
  return (
    <>
      <PageHeader title={`${tenant.business_name} is live`} />
      <SuccessNotice>
        {result.onboarding.replayed ? 'This onboarding was already done; nothing new was bought.' : 'Onboarded.'} Customer #
        {tenant.customer_id}, number <strong data-testid="onboarded-number">{number.phone_number}</strong>.
      </SuccessNotice>
      <section className="card" aria-labelledby="numbers-heading">
        <h2 id="numbers-heading">Its numbers</h2>
        <ErrorNotice error={numbers.error} />
        {numbers.data ? (
          <DataTable
            caption="Numbers of the new business"
            captionHidden
            rows={numbers.data.numbers}
            rowKey={(row) => row.id}
            columns={[
              { header: 'Number', cell: (row) => row.phone_number },
              { header: 'Account', cell: (row) => row.twilio_account },
              { header: 'Webhooks', cell: (row) => (row.webhooks_point_here ? 'Point here' : 'Not pointing here: repair them') },
            ]}
          />
        ) : null}
        <dl className="facts">
          <Fact term="Twilio account">
            <code data-testid="onboarded-account-sid">{result.twilio_account.account_sid}</code> ({result.twilio_account.kind})
          </Fact>
        </dl>
      </section>
      <section className="card" aria-labelledby="owner-heading">
        <h2 id="owner-heading">The owner&apos;s invitation</h2>
        {invitationUrl ? (
          <p>
            Send {invitation.email} this one-time link (it is shown only now):{' '}
            <code className="break-all" data-testid="owner-invitation-url">
              {invitationUrl}
            </code>
          </p>
        ) : (
          <p>The invitation for {invitation.email} was made earlier; its link is not shown again. The owner can ask for a new one.</p>
        )}
      </section>
      <section className="card" aria-labelledby="test-call-heading">
        <h2 id="test-call-heading">Place a test call</h2>
        <ol>
          <li>
            Call <strong>{number.phone_number}</strong> from any phone: the agent answers with the greeting.
          </li>
          <li>
            Or, without a phone, play the call against the gateway with the call simulator:
            <pre className="command">
              <code>{`pnpm call -- --to ${number.phone_number} --from <your number> --auth-token <auth token of ${result.twilio_account.account_sid}>`}</code>
            </pre>
          </li>
          <li>The call then appears in the business&apos;s calls, with its transcript and summary.</li>
        </ol>
      </section>
    </>
  );
}
