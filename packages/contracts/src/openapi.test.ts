import { buildOpenApiDocument, serviceContracts } from './openapi';

describe('OpenAPI generation', () => {
  it.each(Object.keys(serviceContracts))('builds a document for %s with its health routes', (service) => {
    const doc = buildOpenApiDocument(service);
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.paths['/healthz']).toBeDefined();
    expect(doc.info.title).toContain(service);
  });

  it('says on every admin operation who may call it, and which scope an API key needs', () => {
    const doc = buildOpenApiDocument('admin-api');
    expect(Object.keys(doc.components?.securitySchemes ?? {}).sort()).toEqual(['accessToken', 'apiKey', 'sessionCookie']);
    const listCalls = doc.paths['/v1/tenants/{customerId}/calls']?.get;
    expect(listCalls).toMatchObject({
      security: [{ accessToken: [] }, { sessionCookie: [] }, { apiKey: [] }],
      'x-api-key-scope': 'calls:read',
    });
    expect(listCalls.description).toContain('scope `calls:read`');
    expect(doc.paths['/v1/auth/login']?.post).toMatchObject({ security: [] });
    expect(doc.paths['/v1/platform/tenants']?.get).toMatchObject({ security: [{ accessToken: [] }, { sessionCookie: [] }] });
    expect(doc.paths['/v1/tenants/{customerId}/members']?.get.description).toContain('(not API keys)');
  });

  it('documents every webhook payload beside the routes', () => {
    const schemas = buildOpenApiDocument('admin-api').components?.schemas ?? {};
    expect(Object.keys(schemas).sort()).toEqual([
      'WebhookData_call_completed',
      'WebhookData_call_started',
      'WebhookData_callback_requested',
      'WebhookData_message_taken',
      'WebhookData_sms_received',
      'WebhookData_transfer_failed',
      'WebhookEnvelope',
    ]);
    expect(JSON.stringify(schemas.WebhookData_callback_requested)).toContain('callback_time');
  });

  it('refuses an unknown service', () => {
    expect(() => buildOpenApiDocument('nope')).toThrow('no contract for service "nope"');
  });
});
