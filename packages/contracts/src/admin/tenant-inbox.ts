import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { e164PhoneSchema } from '../common';
import {
  cursorSchema,
  errorResponses,
  isoDateTime,
  pageLimitSchema,
  requiredText,
  tenantPathSchema,
  tenantPaths,
  tenantRoute,
} from './shared';

const c = initContract();

export const inboxStatuses = ['new', 'in_progress', 'done'] as const;
export const inboxStatusSchema = z.enum(inboxStatuses, { errorMap: () => ({ message: `must be one of ${inboxStatuses.join(', ')}` }) });
export const inboxKinds = ['message', 'callback'] as const;
export const inboxKindSchema = z.enum(inboxKinds, { errorMap: () => ({ message: `must be one of ${inboxKinds.join(', ')}` }) });
export const inboxUrgencies = ['low', 'normal', 'high'] as const;
export const inboxUrgencySchema = z.enum(inboxUrgencies, { errorMap: () => ({ message: `must be one of ${inboxUrgencies.join(', ')}` }) });

export const inboxNoteSchema = z.object({
  id: z.string(),
  /** admin:<id> or api_key:<id>. */
  author: z.string(),
  body: z.string(),
  created_at: isoDateTime,
});

/** A message or callback request the agent took on a call. */
export const inboxItemSchema = z.object({
  id: z.string(),
  kind: inboxKindSchema,
  caller: z.object({
    phone: z.string(),
    /** The name the caller gave on the call, if any. */
    name: z.string().nullable(),
    /** Their caller profile (GET .../callers/:callerId), when the agent knows them. */
    caller_id: z.string().nullable(),
  }),
  /** The message, or what the callback is about, in the caller's words. */
  reason: z.string(),
  /** When to call back, as the caller said it ("tomorrow after 3"). */
  callback_time: z.string().nullable(),
  urgency: inboxUrgencySchema,
  status: inboxStatusSchema,
  /** The team member working on it (an admin user id), or null. */
  assignee_id: z.string().nullable(),
  /** The call it was taken on (GET .../calls/:callId), or null. */
  call: z.object({ id: z.string().nullable(), call_sid: z.string() }).nullable(),
  notes: z.array(inboxNoteSchema),
  created_at: isoDateTime,
  updated_at: isoDateTime,
  /** When it was marked done. */
  done_at: isoDateTime.nullable(),
});
export type InboxItem = z.infer<typeof inboxItemSchema>;

const inboxItemPath = tenantPathSchema.extend({ itemId: z.string().uuid('itemId must be an inbox item id (UUID)') });

export const listInboxQuerySchema = z.object({
  status: inboxStatusSchema.optional(),
  kind: inboxKindSchema.optional(),
  urgency: inboxUrgencySchema.optional(),
  /** An admin user id, or "none" for unassigned items. */
  assignee: z.union([z.literal('none'), z.string().uuid('assignee must be an admin user id (UUID) or "none"')]).optional(),
  /** The caller's phone number. */
  caller: e164PhoneSchema.optional(),
  cursor: cursorSchema.optional(),
  limit: pageLimitSchema,
});

export const updateInboxItemRequestSchema = z
  .object({
    status: inboxStatusSchema.optional(),
    urgency: inboxUrgencySchema.optional(),
    /** A member of the tenant (admin user id), or null to unassign. */
    assignee_id: z.string().uuid('assignee_id must be an admin user id (UUID) or null').nullable().optional(),
  })
  .strict()
  .refine((value) => Object.keys(value).length > 0, { message: 'send at least one of status, urgency, assignee_id' });

/**
 * Part of `adminApiContract.tenant`: the inbox of messages and callback requests the agent took.
 * Staff move each item from new to in_progress to done, assign it to a team member and add notes.
 */
export const tenantInboxContract = c.router({
  listInbox: {
    method: 'GET',
    path: tenantPaths('/inbox'),
    pathParams: tenantPathSchema,
    query: listInboxQuerySchema,
    responses: {
      200: z.object({ success: z.literal(true), items: z.array(inboxItemSchema), next_cursor: z.string().nullable() }),
      ...errorResponses,
    },
    metadata: tenantRoute('viewer', 'inbox:read'),
    summary: 'Messages and callback requests, newest first, filtered by status, kind, urgency, assignee or caller',
  },
  countInbox: {
    method: 'GET',
    path: tenantPaths('/inbox/counts'),
    pathParams: tenantPathSchema,
    responses: {
      200: z.object({
        success: z.literal(true),
        counts: z.object({ new: z.number().int(), in_progress: z.number().int(), done: z.number().int() }),
      }),
      ...errorResponses,
    },
    metadata: tenantRoute('viewer', 'inbox:read'),
    summary: "How many items are new, in progress and done (the console's badge shows new)",
  },
  getInboxItem: {
    method: 'GET',
    path: tenantPaths('/inbox/:itemId'),
    pathParams: inboxItemPath,
    responses: { 200: z.object({ success: z.literal(true), item: inboxItemSchema }), ...errorResponses },
    metadata: tenantRoute('viewer', 'inbox:read'),
    summary: 'One inbox item with its notes',
  },
  updateInboxItem: {
    method: 'PATCH',
    path: tenantPaths('/inbox/:itemId'),
    pathParams: inboxItemPath,
    body: updateInboxItemRequestSchema,
    responses: { 200: z.object({ success: z.literal(true), item: inboxItemSchema }), ...errorResponses },
    metadata: tenantRoute('admin', 'inbox:write'),
    summary: "Change an item's status, urgency or assignee (audited)",
  },
  addInboxNote: {
    method: 'POST',
    path: tenantPaths('/inbox/:itemId/notes'),
    pathParams: inboxItemPath,
    body: z.object({ body: requiredText('body', 4000) }).strict(),
    responses: { 201: z.object({ success: z.literal(true), item: inboxItemSchema }), ...errorResponses },
    metadata: tenantRoute('admin', 'inbox:write'),
    summary: 'Add a staff note to an item',
  },
});
