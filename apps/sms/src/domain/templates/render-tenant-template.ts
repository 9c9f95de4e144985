import { AppError } from '@neurosphere/http';
import type { TenantTx } from '@neurosphere/db';
import { MAX_SMS_BODY_LENGTH, profileValues, renderTemplate } from './render-template';

export interface RenderTenantTemplateOptions {
  customerId: number;
  /** sms_templates.name */
  templateName: string;
  /** The recipient: their caller profile (caller_profiles.user_id) supplies placeholder values. */
  callerPhone: string;
  /** Explicit values from the request; they win over the caller profile. */
  variables: Readonly<Record<string, string>>;
  /** Tenant fields every template may use ({{business_name}}, {{agent_name}}). */
  tenant: { businessName: string; agentName: string };
}

/**
 * Renders one of the tenant's templates for a recipient, inside the caller's withTenant
 * transaction. Values, lowest precedence first: tenant fields, the caller profile's name and
 * variables, the request's variables. Anything missing is a 422 naming each placeholder.
 */
export async function renderTenantTemplate(tx: TenantTx, options: RenderTenantTemplateOptions): Promise<string> {
  const { customerId, templateName } = options;
  const template = await tx.smsTemplate.findUnique({
    where: { customerId_name: { customerId, name: templateName } },
    select: { body: true },
  });
  if (!template) {
    throw new AppError('UNPROCESSABLE', `SMS template "${templateName}" does not exist for this tenant`, {
      details: [{ path: 'template', message: `no template named "${templateName}"` }],
    });
  }
  const profile = await tx.callerProfile.findUnique({
    where: { customerId_userId: { customerId, userId: options.callerPhone } },
    select: { name: true, variables: true },
  });
  const values: Record<string, string> = {
    business_name: options.tenant.businessName,
    agent_name: options.tenant.agentName,
    ...(profile?.name ? { name: profile.name } : {}),
    ...profileValues(profile?.variables),
    ...options.variables,
  };
  const rendered = renderTemplate(template.body, values);
  if (!rendered.ok) {
    const names = rendered.missing.map((name) => `{{${name}}}`).join(', ');
    throw new AppError(
      'UNPROCESSABLE',
      `SMS template "${templateName}" needs ${names}: pass them in variables or store them on the caller profile`,
      {
        details: rendered.missing.map((name) => ({ path: `variables.${name}`, message: `template placeholder {{${name}}} has no value` })),
      },
    );
  }
  if (rendered.text.length > MAX_SMS_BODY_LENGTH) {
    throw new AppError(
      'UNPROCESSABLE',
      `SMS template "${templateName}" renders to ${rendered.text.length} characters; the limit is ${MAX_SMS_BODY_LENGTH}`,
      {
        details: [{ path: 'template', message: `rendered text is longer than ${MAX_SMS_BODY_LENGTH} characters` }],
      },
    );
  }
  return rendered.text;
}
