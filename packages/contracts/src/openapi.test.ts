import { buildOpenApiDocument, serviceContracts } from './openapi';

describe('OpenAPI generation', () => {
  it.each(Object.keys(serviceContracts))('builds a document for %s with its health routes', (service) => {
    const doc = buildOpenApiDocument(service);
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.paths['/healthz']).toBeDefined();
    expect(doc.info.title).toContain(service);
  });

  it('refuses an unknown service', () => {
    expect(() => buildOpenApiDocument('nope')).toThrow('no contract for service "nope"');
  });
});
