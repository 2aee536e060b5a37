/** Reads what `pnpm package` produced for the services the tenant stack is built from. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildTenantTemplateInput } from './builder.js';
import { TenantTemplateError } from './errors.js';
import type { CfnTemplate } from './template.js';

/** The application services a tenant stack runs, in the order their templates are composed. */
export const APPLICATION_SERVICES = ['products', 'orders'] as const;

export const packagedDir = (root: string, service: string) => join(root, 'services', service, '.serverless');

function readTemplate(root: string, service: string): CfnTemplate {
  const path = join(packagedDir(root, service), 'cloudformation-template-update-stack.json');
  if (!existsSync(path)) throw new TenantTemplateError(`${path} is missing: run \`pnpm package\` first`);
  return JSON.parse(readFileSync(path, 'utf8')) as CfnTemplate;
}

/** The builder's input from the packaged services under `root` (the repository). */
export function readPackagedServices(root: string, stage: string): BuildTenantTemplateInput {
  return {
    stage,
    platform: readTemplate(root, 'platform'),
    services: APPLICATION_SERVICES.map((service) => ({ service, template: readTemplate(root, service) })),
  };
}
