import { industryTemplateDefinitionSchema, smsTemplateBuiltInVariables, templatePlaceholders } from '@neurosphere/contracts';
import { isUniqueViolation, withTenant } from '@neurosphere/db';
import type { Db, SmsTemplate, TenantTx } from '@neurosphere/db';
import { AppError, validationError } from '@neurosphere/http';
import type { TenantCommand } from '../shared/tenant-command';

export function toSmsTemplateView(template: SmsTemplate) {
  return {
    id: template.id,
    name: template.name,
    body: template.body,
    variables: [...new Set(templatePlaceholders(template.body))],
    created_at: template.createdAt.toISOString(),
    updated_at: template.updatedAt.toISOString(),
  };
}

/** Refuses a body with a {{variable}} the sms service could never fill (the built-ins and the tenant's template fields). */
async function assertKnownVariables(tx: TenantTx, customerId: number, body: string): Promise<void> {
  const customer = await tx.customer.findUniqueOrThrow({ where: { id: customerId }, include: { templateVersionRef: true } });
  const definition = industryTemplateDefinitionSchema.safeParse(customer.templateVersionRef.definition);
  const known = new Set<string>([
    ...smsTemplateBuiltInVariables,
    ...(definition.success ? definition.data.fields.map((field) => field.key) : []),
  ]);
  const unknown = [...new Set(templatePlaceholders(body))].filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw validationError([
      {
        path: 'body.body',
        message: `unknown variables ${unknown.map((name) => `{{${name}}}`).join(', ')}; known: ${[...known].join(', ')}`,
      },
    ]);
  }
}

export async function listSmsTemplates(options: { db: Db; customerId: number }) {
  const { customerId } = options;
  const templates = await withTenant(options.db, customerId, (tx) =>
    tx.smsTemplate.findMany({ where: { customerId }, orderBy: { name: 'asc' } }),
  );
  return templates.map(toSmsTemplateView);
}

export async function createSmsTemplate(options: TenantCommand & { name: string; body: string }) {
  const { customerId } = options;
  return withTenant(options.db, customerId, async (tx) => {
    await assertKnownVariables(tx, customerId, options.body);
    const template = await uniqueName(options.name, () =>
      tx.smsTemplate.create({ data: { customerId, name: options.name, body: options.body } }),
    );
    await tx.auditLog.create({
      data: {
        customerId,
        actor: options.actor,
        action: 'sms_template.created',
        target: `sms_template:${template.id}`,
        details: { name: template.name },
      },
    });
    return toSmsTemplateView(template);
  });
}

export async function updateSmsTemplate(options: TenantCommand & { templateId: string; name?: string; body?: string }) {
  const { customerId, templateId } = options;
  return withTenant(options.db, customerId, async (tx) => {
    const found = await tx.smsTemplate.findUnique({ where: { customerId_id: { customerId, id: templateId } } });
    if (!found) throw new AppError('NOT_FOUND', `SMS template ${templateId} not found`);
    if (options.body !== undefined) await assertKnownVariables(tx, customerId, options.body);
    const template = await uniqueName(options.name ?? found.name, () =>
      tx.smsTemplate.update({ where: { customerId_id: { customerId, id: templateId } }, data: { name: options.name, body: options.body } }),
    );
    await tx.auditLog.create({
      data: {
        customerId,
        actor: options.actor,
        action: 'sms_template.updated',
        target: `sms_template:${templateId}`,
        details: { name: template.name },
      },
    });
    return toSmsTemplateView(template);
  });
}

export async function deleteSmsTemplate(options: TenantCommand & { templateId: string }) {
  const { customerId, templateId } = options;
  await withTenant(options.db, customerId, async (tx) => {
    const found = await tx.smsTemplate.findUnique({ where: { customerId_id: { customerId, id: templateId } } });
    if (!found) throw new AppError('NOT_FOUND', `SMS template ${templateId} not found`);
    await tx.smsTemplate.delete({ where: { customerId_id: { customerId, id: templateId } } });
    await tx.auditLog.create({
      data: {
        customerId,
        actor: options.actor,
        action: 'sms_template.deleted',
        target: `sms_template:${templateId}`,
        details: { name: found.name },
      },
    });
  });
}

/** A name another template of the tenant has is a 409 naming it. */
async function uniqueName<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError('CONFLICT', `An SMS template named "${name}" already exists`, {
        details: [{ path: 'body.name', message: 'name is taken' }],
      });
    }
    throw error;
  }
}
