import { industryTemplateDefinitionSchema } from '@neurosphere/contracts';
import type { IndustryTemplateField } from '@neurosphere/contracts';
import { withTenant } from '@neurosphere/db';
import type { Prisma } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { AppError, validationError } from '@neurosphere/http';
import type { ErrorDetail } from '@neurosphere/http';
import { getCaller } from './get-caller';

export interface UpdateCallerOptions {
  db: Db;
  customerId: number;
  /** admin:<id> or api_key:<id>, for the audit row. */
  actor: string;
  callerId: string;
  /** null clears the name. */
  name?: string | null;
  /** Template field key -> value (null clears it); keys outside the tenant's template are refused. */
  variables?: Record<string, unknown>;
}

/**
 * Edits a caller's name and profile fields. Fields are the tenant's industry template's: an
 * unknown key or a value of the wrong type is a 400 naming the field, and nothing is written.
 * The audit row names the fields changed, not their values (they are the caller's data).
 */
export async function updateCaller(options: UpdateCallerOptions) {
  const { customerId, callerId } = options;
  await withTenant(options.db, customerId, async (tx) => {
    const profile = await tx.callerProfile.findUnique({ where: { customerId_id: { customerId, id: callerId } } });
    if (!profile) throw new AppError('NOT_FOUND', `Caller ${callerId} not found`);
    const data: Prisma.CallerProfileUpdateInput = {};
    if (options.name !== undefined) data.name = options.name;
    if (options.variables) {
      const customer = await tx.customer.findUniqueOrThrow({ where: { id: customerId }, include: { templateVersionRef: true } });
      const fields = industryTemplateDefinitionSchema.safeParse(customer.templateVersionRef.definition);
      const known = new Map((fields.success ? fields.data.fields : []).map((field) => [field.key, field]));
      const problems: ErrorDetail[] = [];
      const merged: Record<string, unknown> = isRecord(profile.variables) ? { ...profile.variables } : {};
      for (const [key, value] of Object.entries(options.variables)) {
        const field = known.get(key);
        if (!field)
          problems.push({
            path: `body.variables.${key}`,
            message: `${key} is not a field of this business's template (fields: ${[...known.keys()].join(', ')})`,
          });
        else if (value === null) delete merged[key];
        else if (!fitsType(field, value))
          problems.push({ path: `body.variables.${key}`, message: `${key} must be ${describeType(field)}` });
        else merged[key] = value;
      }
      if (problems.length > 0) throw validationError(problems);
      data.variables = merged as Prisma.InputJsonValue;
    }
    await tx.callerProfile.update({ where: { customerId_id: { customerId, id: callerId } }, data });
    await tx.auditLog.create({
      data: {
        customerId,
        actor: options.actor,
        action: 'caller.updated',
        target: `caller:${callerId}`,
        details: { fields: [...(options.name !== undefined ? ['name'] : []), ...Object.keys(options.variables ?? {})] },
      },
    });
  });
  return getCaller({ db: options.db, customerId, callerId });
}

function fitsType(field: IndustryTemplateField, value: unknown): boolean {
  switch (field.type) {
    case 'string':
      return typeof value === 'string' && value.length <= 500;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));
    case 'string[]':
      return Array.isArray(value) && value.length <= 50 && value.every((item) => typeof item === 'string' && item.length <= 200);
  }
}

function describeType(field: IndustryTemplateField): string {
  return { string: 'a string', number: 'a number', boolean: 'true or false', date: 'a date (YYYY-MM-DD)', 'string[]': 'a list of strings' }[
    field.type
  ];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
