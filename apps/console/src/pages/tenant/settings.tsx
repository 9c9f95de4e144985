import type { AgentSettings } from '@neurosphere/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Form, Group, Input, Label, NumberField, Switch } from 'react-aria-components';
import { api, ok } from '../../api/client';
import { atLeast } from '../../api/session';
import { tenantQueryKey, useTenant } from '../../components/tenant-layout';
import { ErrorNotice, Loading, PageHeader, SuccessNotice, TextInput } from '../../components/ui';

/** The settings this page edits, as the form holds them (text fields as strings; empty = not set). */
interface SettingsDraft {
  agent_name: string;
  greeting: string;
  personality: string;
  voice_id: string;
  transfer_number: string;
  help_text: string;
  speech_timeout_seconds: number;
  sms_ai_reply_enabled: boolean;
  sms_rate_limit_per_minute: number;
}

function draftOf(settings: AgentSettings): SettingsDraft {
  return {
    agent_name: settings.agent_name,
    greeting: settings.greeting,
    personality: settings.personality,
    voice_id: settings.voice_id ?? '',
    transfer_number: settings.transfer_number ?? '',
    help_text: settings.help_text ?? '',
    speech_timeout_seconds: settings.speech_timeout_seconds,
    sms_ai_reply_enabled: settings.sms_ai_reply_enabled,
    sms_rate_limit_per_minute: settings.sms_rate_limit_per_minute,
  };
}

/** Only what changed goes to the API (the audit log then names exactly that). */
function changesOf(before: SettingsDraft, after: SettingsDraft) {
  const nullable = (value: string) => (value.trim() === '' ? null : value.trim());
  const changed = <K extends keyof SettingsDraft>(key: K) => before[key] !== after[key];
  return {
    ...(changed('agent_name') ? { agent_name: after.agent_name } : {}),
    ...(changed('greeting') ? { greeting: after.greeting } : {}),
    ...(changed('personality') ? { personality: after.personality } : {}),
    ...(changed('voice_id') ? { voice_id: nullable(after.voice_id) } : {}),
    ...(changed('transfer_number') ? { transfer_number: nullable(after.transfer_number) } : {}),
    ...(changed('help_text') ? { help_text: nullable(after.help_text) } : {}),
    ...(changed('speech_timeout_seconds') ? { speech_timeout_seconds: after.speech_timeout_seconds } : {}),
    ...(changed('sms_ai_reply_enabled') ? { sms_ai_reply_enabled: after.sms_ai_reply_enabled } : {}),
    ...(changed('sms_rate_limit_per_minute') ? { sms_rate_limit_per_minute: after.sms_rate_limit_per_minute } : {}),
  };
}

export function SettingsPage() {
  const { customerId, role } = useTenant();
  const settings = useQuery({
    queryKey: tenantQueryKey(customerId, 'settings'),
    queryFn: () => ok(api.tenant.getSettings({ params: { customerId } })),
  });
  return (
    <>
      <PageHeader title="Agent settings" />
      <ErrorNotice error={settings.error} />
      {settings.isPending ? <Loading what="the settings" /> : null}
      {settings.data ? (
        <SettingsForm key={customerId} customerId={customerId} settings={settings.data.settings} canEdit={atLeast(role, 'admin')} />
      ) : null}
    </>
  );
}

function SettingsForm({ customerId, settings, canEdit }: { customerId: number; settings: AgentSettings; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const saved = draftOf(settings);
  const [draft, setDraft] = useState(saved);
  const [justSaved, setJustSaved] = useState(false);
  const set =
    <K extends keyof SettingsDraft>(key: K) =>
    (value: SettingsDraft[K]) => {
      setJustSaved(false);
      setDraft((current) => ({ ...current, [key]: value }));
    };
  const changes = changesOf(saved, draft);
  const save = useMutation({
    mutationFn: () => ok(api.tenant.updateSettings({ params: { customerId }, body: changes })),
    onSuccess: (answer) => {
      queryClient.setQueryData(tenantQueryKey(customerId, 'settings'), answer);
      setDraft(draftOf(answer.settings));
      setJustSaved(true);
    },
  });
  const readOnly = !canEdit;
  return (
    <Form
      className="stack"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      {readOnly ? (
        <p className="notice">You can view these settings; an admin or owner of your team can change them.</p>
      ) : (
        <p>Changes apply from the next call.</p>
      )}
      {justSaved ? <SuccessNotice>Saved. The agent uses these settings from the next call.</SuccessNotice> : null}
      <ErrorNotice error={save.error} />
      <TextInput label="Agent name" isReadOnly={readOnly} isRequired value={draft.agent_name} onChange={set('agent_name')} />
      <TextInput
        label="Greeting"
        multiline
        isReadOnly={readOnly}
        isRequired
        description="The first thing callers hear."
        value={draft.greeting}
        onChange={set('greeting')}
      />
      <TextInput
        label="Personality"
        multiline
        isReadOnly={readOnly}
        description="How the agent speaks: tone, style, what to emphasise."
        value={draft.personality}
        onChange={set('personality')}
      />
      <TextInput label="Voice ID (ElevenLabs)" isReadOnly={readOnly} value={draft.voice_id} onChange={set('voice_id')} />
      <TextInput
        label="Transfer number"
        type="tel"
        isReadOnly={readOnly}
        description="Where the agent transfers a caller who asks for a person (E.164, e.g. +12125550123). Empty: no transfers."
        value={draft.transfer_number}
        onChange={set('transfer_number')}
      />
      <NumberField
        className="field"
        minValue={1}
        maxValue={60}
        isReadOnly={readOnly}
        value={draft.speech_timeout_seconds}
        onChange={set('speech_timeout_seconds')}
      >
        <Label>Seconds of silence before the agent speaks again</Label>
        <Group>
          <Input />
        </Group>
      </NumberField>
      <TextInput
        label="SMS help text"
        isReadOnly={readOnly}
        description="The answer to a caller's HELP text message."
        value={draft.help_text}
        onChange={set('help_text')}
      />
      <Switch className="switch" isReadOnly={readOnly} isSelected={draft.sms_ai_reply_enabled} onChange={set('sms_ai_reply_enabled')}>
        <div className="switch-indicator" />
        Answer text messages with the AI
      </Switch>
      <NumberField
        className="field"
        minValue={1}
        maxValue={600}
        isReadOnly={readOnly}
        value={draft.sms_rate_limit_per_minute}
        onChange={set('sms_rate_limit_per_minute')}
      >
        <Label>Texts per minute, at most</Label>
        <Group>
          <Input />
        </Group>
      </NumberField>
      {canEdit ? (
        <Button type="submit" className="button button-primary" isDisabled={save.isPending || Object.keys(changes).length === 0}>
          {save.isPending ? 'Saving…' : 'Save changes'}
        </Button>
      ) : null}
    </Form>
  );
}
