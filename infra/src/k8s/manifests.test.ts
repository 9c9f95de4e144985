/**
 * The Kubernetes manifests (infra/k8s), rendered per overlay the way docs/deployment.md does and
 * checked against the Kubernetes API schemas (kubernetes-models) and against the apps themselves:
 * ports from the service catalog and each app's env.ts, probe paths from the shared health router,
 * environment variables that each app actually reads, and network rules that follow each app's
 * *_URL settings (who calls whom).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import { MIGRATE_ENTRY } from '../build/build-artifacts';
import { repoRoot } from '../stack/paths';
import { CONSOLE_SERVER, HTTP_SERVICES, WORKERS } from '../stack/service-catalog';
import type { KubeObject } from './render-overlay';
import { listOverlays, renderCommand, renderOverlay } from './render-overlay';

/** Every kind the manifests may hold, with the model that validates it. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'networking.k8s.io/v1/Ingress': Ingress,
};

const readSource = (...parts: string[]) => readFileSync(path.join(repoRoot, ...parts), 'utf8');
/** The variables an app's env.ts declares (its zod schema's keys), plus the shared BYOK ones. */
const declaredVariables = (app: string) =>
  new Set(
    [
      ...`${readSource('apps', app, 'src', 'env.ts')}\n${readSource('packages', 'db', 'src', 'crypto', 'byok-env.ts')}`.matchAll(
        /^\s+([A-Z][A-Z0-9_]+):/gm,
      ),
    ].map((match) => match[1]!),
  );
const healthRouter = readSource('packages', 'http', 'src', 'health.ts');
const deploymentName = (workerApp: string, workerName: string) => `${workerApp}-${workerName}`;

const overlays = listOverlays();

it('has the shared SaaS and the dedicated enterprise overlays', () => {
  expect(overlays).toEqual(expect.arrayContaining(['dedicated-enterprise', 'shared-saas']));
});

it('serves the probe paths the manifests use (the shared health router of @neurosphere/http)', () => {
  expect(healthRouter).toContain("router.get('/healthz'");
  expect(healthRouter).toContain("router.get('/readyz'");
});

describe.each(overlays.map((overlay) => [overlay]))('overlay %s', (overlay) => {
  const objects = renderOverlay(overlay);
  const named = <T>(kind: string, name: string) =>
    objects.find((object) => object.kind === kind && object.metadata.name === name) as (KubeObject & T) | undefined;
  const ofKind = <T>(kind: string) => objects.filter((object) => object.kind === kind) as (KubeObject & T)[];
  const namespace = ofKind('Namespace')[0]?.metadata.name;

  it('validates every object against the Kubernetes API schemas', () => {
    for (const object of objects) {
      const Model = MODELS[`${object.apiVersion}/${object.kind}`];
      expect([object.kind, object.metadata.name, Model ? 'known kind' : 'unknown kind']).toEqual([
        object.kind,
        object.metadata.name,
        'known kind',
      ]);
      expect(() => new Model!(object as never).validate()).not.toThrow();
    }
  });

  it('puts everything in its own namespace and defines no Secret (secrets are referenced only)', () => {
    expect(ofKind('Namespace')).toHaveLength(1);
    expect(
      objects
        .filter((object) => object.kind !== 'Namespace' && object.metadata.namespace !== namespace)
        .map((object) => object.metadata.name),
    ).toEqual([]);
    expect(ofKind('Secret')).toEqual([]);
  });

  it.each(HTTP_SERVICES.map((service) => [service.name, service] as const))(
    'runs %s on its real port with /readyz and /healthz probes',
    (_name, service) => {
      const envSource = readSource('apps', service.app, 'src', 'env.ts');
      expect(envSource).toMatch(new RegExp(`PORT: port\\.default\\(${service.port}\\)`));
      const deployment = named<IDeployment>('Deployment', service.name);
      const container = deployment?.spec?.template.spec?.containers[0];
      expect(container?.image).toMatch(new RegExp(`^neurosphere/${service.app}:\\S+$`));
      expect(container?.ports).toEqual([
        { name: 'http', containerPort: service.port },
        { name: 'metrics', containerPort: 9464 },
      ]);
      expect(envSource).toMatch(/METRICS_PORT: metricsPort/);
      expect(container?.env).toEqual(
        expect.arrayContaining([
          { name: 'PORT', value: String(service.port) },
          { name: 'METRICS_PORT', value: '9464' },
        ]),
      );
      expect(container?.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
      expect(container?.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(container?.resources?.requests).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
      expect(container?.resources?.limits).toEqual(expect.objectContaining({ memory: expect.any(String) }));
      const serviceObject = named<{ spec: { ports: { port: number; targetPort: string }[] } }>('Service', service.name);
      expect(serviceObject?.spec.ports).toEqual([{ name: 'http', port: service.port, targetPort: 'http' }]);
    },
  );

  it('runs the console on its real port with probes, no secret, and ADMIN_API_URL from the shared config', () => {
    const envSource = readFileSync(path.join(repoRoot, 'apps', 'console', 'server', 'env.ts'), 'utf8');
    expect(envSource).toMatch(new RegExp(`PORT: port\\.default\\(${CONSOLE_SERVER.port}\\)`));
    expect(envSource).toContain('ADMIN_API_URL: url');
    const container = named<IDeployment>('Deployment', CONSOLE_SERVER.name)?.spec?.template.spec?.containers[0];
    expect(container?.image).toMatch(new RegExp(`^neurosphere/${CONSOLE_SERVER.app}:\\S+$`));
    expect(container?.ports).toEqual([{ name: 'http', containerPort: CONSOLE_SERVER.port }]);
    expect(container?.env).toEqual([{ name: 'PORT', value: String(CONSOLE_SERVER.port) }]);
    expect(container?.envFrom?.map((source) => source.configMapRef?.name)).toEqual([expect.stringMatching(/^neurosphere-config-/)]);
    expect(container?.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(container?.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    const config = ofKind<{ data: Record<string, string> }>('ConfigMap').find((object) =>
      object.metadata.name.startsWith('neurosphere-config-'),
    );
    expect(config?.data.ADMIN_API_URL).toBe(`http://admin-api:${HTTP_SERVICES.find((service) => service.name === 'admin-api')!.port}`);
  });

  it('runs the memory worker from its app image with its compiled entry and its own key', () => {
    for (const worker of WORKERS) {
      const container = named<IDeployment>('Deployment', deploymentName(worker.app, worker.name))?.spec?.template.spec?.containers[0];
      expect(container?.image).toMatch(new RegExp(`^neurosphere/${worker.app}:\\S+$`));
      expect(container?.command).toEqual(['node', worker.productionEntry]);
      expect(container?.ports).toEqual([{ name: 'metrics', containerPort: 9464 }]);
      expect(container?.env).toEqual(expect.arrayContaining([{ name: 'METRICS_PORT', value: '9464' }]));
      expect(container?.env?.find((variable) => variable.name === 'SERVICE_JWT_PRIVATE_JWK')?.valueFrom?.secretKeyRef?.key).toBe(
        worker.name,
      );
    }
  });

  it('gives each process only variables its app reads, secrets by reference, and its own signing key', () => {
    const processes = [
      ...HTTP_SERVICES.map((service) => ({ deployment: service.name, app: service.app, key: service.name })),
      ...WORKERS.map((worker) => ({ deployment: deploymentName(worker.app, worker.name), app: worker.app, key: worker.name })),
    ];
    for (const { deployment, app, key } of processes) {
      const container = named<IDeployment>('Deployment', deployment)?.spec?.template.spec?.containers[0] as IContainer;
      const declared = declaredVariables(app);
      expect([deployment, (container.env ?? []).map((variable) => variable.name).filter((name) => !declared.has(name))]).toEqual([
        deployment,
        [],
      ]);
      for (const variable of container.env ?? []) {
        // Literal values are for non-secret settings only.
        if (variable.value !== undefined)
          expect([variable.name, /SECRET|TOKEN|KEY|URL/.test(variable.name)]).toEqual([variable.name, false]);
      }
      expect(container.env?.find((variable) => variable.name === 'SERVICE_JWT_PRIVATE_JWK')?.valueFrom?.secretKeyRef).toEqual({
        name: 'neurosphere-service-keys',
        key,
      });
      expect(container.envFrom?.map((source) => source.secretRef?.name ?? source.configMapRef?.name)).toEqual([
        expect.stringMatching(/^neurosphere-config-/),
        'neurosphere-runtime',
      ]);
    }
  });

  it('autoscales every app on CPU and the worker on its queue depth (an External metric)', () => {
    const autoscalers = ofKind<IHorizontalPodAutoscaler>('HorizontalPodAutoscaler');
    const target = (name: string) => autoscalers.find((autoscaler) => autoscaler.spec?.scaleTargetRef.name === name);
    for (const service of [...HTTP_SERVICES, CONSOLE_SERVER]) {
      const autoscaler = target(service.name);
      expect(autoscaler?.spec?.metrics?.map((metric) => `${metric.type}:${metric.resource?.name ?? ''}`)).toEqual(['Resource:cpu']);
      expect(autoscaler!.spec!.minReplicas).toBeLessThanOrEqual(autoscaler!.spec!.maxReplicas);
    }
    for (const worker of WORKERS) {
      const metrics = target(deploymentName(worker.app, worker.name))?.spec?.metrics;
      expect(metrics?.map((metric) => `${metric.type}:${metric.external?.metric.name ?? ''}`)).toEqual([
        'External:neurosphere_memory_queue_waiting',
      ]);
    }
    // Replica counts belong to the autoscalers: a Deployment's own count would fight them on every apply.
    expect(
      ofKind<IDeployment>('Deployment')
        .filter((deployment) => deployment.spec?.replicas !== undefined)
        .map((deployment) => deployment.metadata.name),
    ).toEqual([]);
  });

  it('has a PodDisruptionBudget for every Deployment', () => {
    const budgets = ofKind<IPodDisruptionBudget>('PodDisruptionBudget');
    for (const deployment of ofKind<IDeployment>('Deployment')) {
      const labels = deployment.spec?.template.metadata?.labels ?? {};
      const covering = budgets.filter((budget) =>
        Object.entries(budget.spec?.selector?.matchLabels ?? {}).every(([key, value]) => labels[key] === value),
      );
      expect([deployment.metadata.name, covering.length]).toEqual([deployment.metadata.name, 1]);
    }
  });

  it('lets only the gateway and the console in from anywhere, and each service only its real callers', () => {
    const policies = ofKind<INetworkPolicy>('NetworkPolicy');
    const denyAll = policies.find(
      (policy) => Object.keys(policy.spec?.podSelector.matchLabels ?? {}).length === 0 && !policy.spec?.podSelector.matchExpressions,
    );
    expect(denyAll?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    const rulesFor = (name: string) =>
      policies
        .filter((policy) => policy.spec?.podSelector.matchLabels?.['app.kubernetes.io/name'] === name)
        .flatMap((policy) => policy.spec?.ingress ?? []);
    const openToAll = policies
      .filter((policy) => (policy.spec?.ingress ?? []).some((rule) => !rule.from))
      .map((policy) => policy.spec?.podSelector.matchLabels?.['app.kubernetes.io/name']);
    expect(openToAll.sort()).toEqual(['console', 'gateway']);
    // Prometheus reaches the metrics ports only, of the apps and the worker.
    const fromMonitoring = policies.flatMap((policy) =>
      (policy.spec?.ingress ?? []).filter((rule) =>
        (rule.from ?? []).some((peer) => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'monitoring'),
      ),
    );
    expect(fromMonitoring.flatMap((rule) => (rule.ports ?? []).map((port) => port.port))).toEqual(['metrics']);
    for (const service of HTTP_SERVICES.filter((candidate) => candidate.name !== 'gateway')) {
      // Callers: the apps whose env.ts declares this service's URL variable; the console calls admin-api.
      const callers: string[] = HTTP_SERVICES.filter((caller) => declaredVariables(caller.app).has(service.urlVariable)).map(
        (caller) => caller.name,
      );
      if (service.name === 'admin-api') callers.push('console');
      const allowed = rulesFor(service.name).flatMap((rule) =>
        (rule.from ?? []).map((peer) => peer.podSelector?.matchLabels?.['app.kubernetes.io/name']),
      );
      expect([service.name, allowed.sort()]).toEqual([service.name, callers.sort()]);
    }
  });

  it('exposes the gateway and the console, each through an Ingress of its own host on its named port', () => {
    const ingress = ofKind<{
      spec: { rules: { host: string; http: { paths: { backend: { service: { name: string; port: { name: string } } } }[] } }[] };
    }>('Ingress');
    expect(
      ingress
        .flatMap((object) => object.spec.rules.flatMap((rule) => rule.http.paths.map((route) => route.backend.service)))
        .sort((a, b) => a.name.localeCompare(b.name)),
    ).toEqual([
      { name: 'console', port: { name: 'http' } },
      { name: 'gateway', port: { name: 'http' } },
    ]);
    const hosts = ingress.flatMap((object) => object.spec.rules.map((rule) => rule.host));
    expect(new Set(hosts).size).toBe(2);
    expect(hosts.every((host) => !host.endsWith('.invalid'))).toBe(true);
  });

  it('migrates with a Job that runs the compiled migration runner and alone holds the owner URL', () => {
    const jobs = ofKind<IJob>('Job');
    expect(jobs).toHaveLength(1);
    const container = jobs[0]!.spec?.template.spec?.containers[0];
    expect(container?.command).toEqual(['node', MIGRATE_ENTRY]);
    expect(container?.env?.map((variable) => variable.name)).toEqual(
      expect.arrayContaining(['DATABASE_OWNER_URL', 'DATABASE_URL', 'DATABASE_PLATFORM_URL']),
    );
    const ownerHolders = objects
      .filter((object) => JSON.stringify(object).includes('"DATABASE_OWNER_URL"'))
      .map((object) => `${object.kind}/${object.metadata.name}`);
    expect(ownerHolders).toEqual([`Job/${jobs[0]!.metadata.name}`]);
  });

  it('is rendered by the command docs/deployment.md shows', () => {
    expect(readSource('docs', 'deployment.md')).toContain(`\n${renderCommand(overlay).join(' ')}\n`);
  });

  it('names in docs/deployment.md every secret and key it references', () => {
    const docs = readSource('docs', 'deployment.md');
    const references = new Set<string>();
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object') {
        const record = value as Record<string, unknown>;
        const secretKeyRef = record.secretKeyRef as { name: string; key: string } | undefined;
        if (secretKeyRef) references.add(`${secretKeyRef.name} ${secretKeyRef.key}`);
        const secretRef = record.secretRef as { name: string } | undefined;
        if (secretRef) references.add(`${secretRef.name}`);
        Object.values(record).forEach(visit);
      }
    };
    visit(objects);
    for (const reference of references) {
      const [name, key] = reference.split(' ');
      expect([reference, docs.includes(`\`${name}\``) && (!key || docs.includes(`\`${key}\``))]).toEqual([reference, true]);
    }
  });
});
