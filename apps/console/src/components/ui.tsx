import { ADMIN_PASSWORD_MIN_LENGTH } from '@neurosphere/contracts';
import type { ReactNode } from 'react';
import {
  Button,
  Dialog,
  DialogTrigger,
  FieldError,
  Heading,
  Input,
  Label,
  Modal,
  ModalOverlay,
  Text,
  TextArea,
  TextField,
} from 'react-aria-components';
import type { TextFieldProps } from 'react-aria-components';

/**
 * The console's small kit on top of React Aria Components (labels, focus, keyboard and screen
 * reader behaviour come from there); this file only fixes the look and the recurring layouts.
 */

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="page-header">
      <h1>{title}</h1>
      {children ? <div className="page-header-actions">{children}</div> : null}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      Loading {what}…
    </p>
  );
}

/** The API's own message (it names what is wrong), never a stack trace. */
export function ErrorNotice({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : 'Something went wrong';
  return (
    <div className="notice notice-error" role="alert">
      {message}
    </div>
  );
}

export function SuccessNotice({ children }: { children: ReactNode }) {
  return (
    <div className="notice notice-success" role="status">
      {children}
    </div>
  );
}

/** What an empty page says: what this is, and what to do next. */
export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="empty-state">
      <h2>{title}</h2>
      <p>{children}</p>
    </div>
  );
}

export function TextInput({
  label,
  description,
  multiline,
  placeholder,
  ...props
}: TextFieldProps & { label: string; description?: string; multiline?: boolean; placeholder?: string }) {
  return (
    <TextField className="field" {...props}>
      <Label>{label}</Label>
      {multiline ? <TextArea rows={4} placeholder={placeholder} /> : <Input placeholder={placeholder} />}
      {description ? <Text slot="description">{description}</Text> : null}
      <FieldError />
    </TextField>
  );
}

/** A password being chosen: the API's minimum length, said up front and checked by the browser too. */
export function NewPasswordInput({ label, value, onChange }: { label: string; value: string; onChange: (value: string) => void }) {
  return (
    <TextInput
      label={label}
      type="password"
      autoComplete="new-password"
      isRequired
      minLength={ADMIN_PASSWORD_MIN_LENGTH}
      description={`At least ${ADMIN_PASSWORD_MIN_LENGTH} characters.`}
      value={value}
      onChange={onChange}
    />
  );
}

/** A button that asks before it acts (removing a member, revoking a key). */
export function ConfirmButton(props: {
  label: string;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  isDisabled?: boolean;
}) {
  return (
    <DialogTrigger>
      <Button className="button button-danger-quiet" isDisabled={props.isDisabled}>
        {props.label}
      </Button>
      <ModalOverlay className="modal-overlay" isDismissable>
        <Modal className="modal">
          <Dialog role="alertdialog" className="dialog">
            {({ close }) => (
              <>
                <Heading slot="title">{props.title}</Heading>
                <p>{props.children}</p>
                <div className="dialog-actions">
                  <Button className="button" onPress={close}>
                    Cancel
                  </Button>
                  <Button
                    className="button button-danger"
                    onPress={() => {
                      props.onConfirm();
                      close();
                    }}
                  >
                    {props.confirmLabel}
                  </Button>
                </div>
              </>
            )}
          </Dialog>
        </Modal>
      </ModalOverlay>
    </DialogTrigger>
  );
}

/** A template's free-form fields (a caller's details, what a summary extracted) as name/value pairs inside a `<dl>`. */
export function FieldFacts({ fields }: { fields: Record<string, unknown> }) {
  return (
    <>
      {Object.entries(fields).map(([field, value]) => (
        <div key={field} className="fact">
          <dt>{field}</dt>
          <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
        </div>
      ))}
    </>
  );
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDateTime(iso: string | null): string {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes} min ${seconds % 60} s` : `${seconds} s`;
}
