/** The emulator's state: REST APIs with their compiled routers, and the local base path mappings. */
import { randomBytes } from 'node:crypto';
import { NotFoundError } from './errors.js';
import type { MethodThrottleSetting, RestApiState, StageOwner, StageState } from './model.js';
import { compileRouter, type Router } from './router.js';

export interface BasePathMapping {
  /** Normalised: `/control`, or `` for the root mapping. */
  basePath: string;
  restApiId: string;
  stage: string;
}

export interface Registry {
  apis: Map<string, RestApiState>;
  /** deployment id → where it serves */
  deployments: Map<string, { restApiId: string; stageName?: string }>;
  requireApi(restApiId: string, what: string): RestApiState;
  /** Marks the API's routes as changed. */
  touch(api: RestApiState): void;
  /** The API's router, rebuilt when its resources or methods changed since the last build. */
  routerFor(api: RestApiState): Router;
  addStageOwner(api: RestApiState, stageName: string, owner: string, settings: StageOwner): void;
  removeStageOwner(api: RestApiState, stageName: string, owner: string): void;
  basePaths: BasePathMapping[];
  setBasePath(basePath: string, restApiId: string, stage: string): void;
  removeBasePath(basePath: string): void;
}

export function createRegistry(): Registry {
  const apis = new Map<string, RestApiState>();
  const routers = new Map<string, { version: number; router: Router }>();
  const basePaths: BasePathMapping[] = [];

  function routerFor(api: RestApiState): Router {
    const cached = routers.get(api.id);
    if (cached && cached.version === api.version) return cached.router;
    const router = compileRouter(api);
    routers.set(api.id, { version: api.version, router });
    return router;
  }

  return {
    apis,
    deployments: new Map(),
    basePaths,
    requireApi(restApiId, what) {
      const api = apis.get(restApiId);
      if (!api) throw new NotFoundError(`${what}: REST API ${JSON.stringify(restApiId)} does not exist`);
      return api;
    },
    touch(api) {
      api.version++;
    },
    routerFor,
    addStageOwner(api, stageName, owner, settings) {
      let stage = api.stages.get(stageName);
      if (!stage) {
        stage = {
          name: stageName,
          owners: new Map(),
          variables: null,
          deploymentId: '',
          methodThrottles: [],
        };
        api.stages.set(stageName, stage);
      }
      stage.owners.set(owner, settings);
      mergeOwners(stage);
      // Precompile on deploy so the first request pays nothing.
      routerFor(api);
    },
    removeStageOwner(api, stageName, owner) {
      const stage = api.stages.get(stageName);
      if (!stage) return;
      stage.owners.delete(owner);
      if (stage.owners.size === 0) api.stages.delete(stageName);
      else mergeOwners(stage);
    },
    setBasePath(basePath, restApiId, stage) {
      const normalised = normaliseBasePath(basePath);
      const existing = basePaths.findIndex((m) => m.basePath === normalised);
      if (existing !== -1) basePaths.splice(existing, 1);
      basePaths.push({ basePath: normalised, restApiId, stage });
      // Longest prefix first; the root mapping (``) comes last.
      basePaths.sort((a, b) => b.basePath.length - a.basePath.length);
    },
    removeBasePath(basePath) {
      const normalised = normaliseBasePath(basePath);
      const index = basePaths.findIndex((m) => m.basePath === normalised);
      if (index !== -1) basePaths.splice(index, 1);
    },
  };
}

function mergeOwners(stage: StageState): void {
  let merged: Record<string, string> | null = null;
  const throttles: MethodThrottleSetting[] = [];
  for (const { variables, deploymentId, methodThrottles } of stage.owners.values()) {
    if (variables && Object.keys(variables).length > 0) merged = Object.assign(merged ?? {}, variables);
    if (deploymentId) stage.deploymentId = deploymentId;
    if (methodThrottles) throttles.push(...methodThrottles);
  }
  stage.variables = merged;
  stage.methodThrottles = throttles;
}

/** `control`, `/control/` → `/control`; `/`, ``, `(none)` → `` (root mapping). */
export function normaliseBasePath(basePath: string): string {
  const trimmed = basePath.trim().replace(/^\/+|\/+$/g, '');
  return trimmed === '' || trimmed === '(none)' ? '' : `/${trimmed}`;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A lowercase alphanumeric id like AWS's (10 chars for APIs and root resources, 6 for the rest). */
export function newId(length: number): string {
  const bytes = randomBytes(length);
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return id;
}
