import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from '../stack/paths';

export const K8S_DIR = path.join(repoRoot, 'infra', 'k8s');

/** A rendered Kubernetes object: enough typing to find and compare things; schemas check the rest. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: unknown;
  [field: string]: unknown;
}

/** The overlay folders under infra/k8s/overlays (each one a deployable variant). */
export function listOverlays(): string[] {
  return readdirSync(path.join(K8S_DIR, 'overlays'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** The command docs/deployment.md shows for an overlay, run from the repository root. */
export function renderCommand(overlay: string): string[] {
  return ['kubectl', 'kustomize', `infra/k8s/overlays/${overlay}`];
}

/**
 * Renders an overlay with `kubectl kustomize` (offline: no cluster is contacted), exactly as
 * docs/deployment.md shows it, and parses every object it prints.
 */
export function renderOverlay(overlay: string): KubeObject[] {
  const [command, ...args] = renderCommand(overlay);
  let output: string;
  try {
    output = execFileSync(command!, args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === 'ENOENT') throw new Error('kubectl is not installed: it renders the kustomize overlays (see shared/TOOLCHAIN.md)');
    throw new Error(`kubectl kustomize ${overlay} failed: ${failure.stderr ?? failure.message}`);
  }
  return parseAllDocuments(output).map((document) => {
    if (document.errors.length > 0) throw new Error(`unreadable YAML from kubectl kustomize ${overlay}: ${document.errors[0]!.message}`);
    return document.toJS() as KubeObject;
  });
}
