/**
 * Makes a template that `osls package` produced deployable through CreateStack: osls creates its
 * own deployment bucket in the stack and points every function's `Code.S3Bucket` at it, which only
 * works after `sls deploy` has uploaded the zips into that very bucket. A stack created at run time
 * instead reads its code from a bucket that already holds the zips.
 */
import type { Template, TemplateResource } from './stacks.js';

/** The logical id osls gives its deployment bucket (and, with `Policy`, the bucket's policy). */
export const SERVERLESS_DEPLOYMENT_BUCKET = 'ServerlessDeploymentBucket';
const DROPPED = new Set([SERVERLESS_DEPLOYMENT_BUCKET, `${SERVERLESS_DEPLOYMENT_BUCKET}Policy`]);

export interface RelocatedTemplate {
  /** A copy without the deployment bucket and its policy, every `Ref` to it replaced by `bucket`. */
  template: Template;
  /** The `S3Key`s the copy's functions read from `bucket`: upload each function's zip there. */
  artifactKeys: string[];
}

export class ArtifactRelocationError extends Error {
  override name = 'ArtifactRelocationError';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function replaceRefs(value: unknown, bucket: string, where: string): unknown {
  if (Array.isArray(value)) return value.map((item, i) => replaceRefs(item, bucket, `${where}[${i}]`));
  if (!isRecord(value)) return value;
  if (value.Ref === SERVERLESS_DEPLOYMENT_BUCKET) return bucket;
  const getAtt = value['Fn::GetAtt'];
  const target = Array.isArray(getAtt) ? getAtt[0] : typeof getAtt === 'string' ? getAtt.split('.')[0] : '';
  if (target === SERVERLESS_DEPLOYMENT_BUCKET)
    throw new ArtifactRelocationError(
      `${where}: Fn::GetAtt of ${SERVERLESS_DEPLOYMENT_BUCKET} cannot be relocated (only Ref is)`,
    );
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, replaceRefs(item, bucket, `${where}.${key}`)]),
  );
}

function withoutDroppedDependencies(resource: TemplateResource): TemplateResource {
  if (resource.DependsOn === undefined) return resource;
  const kept = [resource.DependsOn].flat().filter((id) => !DROPPED.has(id));
  const { DependsOn: _dropped, ...rest } = resource;
  return kept.length > 0 ? { ...rest, DependsOn: kept } : rest;
}

/**
 * Points the functions of a packaged template at `bucket` instead of the stack's own deployment
 * bucket, and drops that bucket and its policy. The input is left untouched.
 *
 * @example
 * const { template, artifactKeys } = relocateServerlessArtifacts(packaged, 'tenantry-artifacts');
 * for (const key of artifactKeys) await s3.send(new PutObjectCommand({ Bucket: 'tenantry-artifacts', Key: key, Body: zipOf(key) }));
 * await cfn.send(new CreateStackCommand({ StackName, TemplateBody: JSON.stringify(template) }));
 */
export function relocateServerlessArtifacts(template: Template, bucket: string): RelocatedTemplate {
  if (!bucket) throw new ArtifactRelocationError('the bucket name is empty');
  const resources: Record<string, TemplateResource> = {};
  const artifactKeys: string[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (DROPPED.has(logicalId)) continue;
    const relocated = replaceRefs(
      withoutDroppedDependencies(resource),
      bucket,
      `Resources.${logicalId}`,
    ) as TemplateResource;
    const code = relocated.Properties?.Code;
    const original = resource.Properties?.Code;
    if (
      isRecord(code) &&
      isRecord(original) &&
      isRecord(original.S3Bucket) &&
      original.S3Bucket.Ref === SERVERLESS_DEPLOYMENT_BUCKET
    ) {
      if (typeof code.S3Key !== 'string')
        throw new ArtifactRelocationError(`Resources.${logicalId}: Code.S3Key must be a plain string`);
      if (!artifactKeys.includes(code.S3Key)) artifactKeys.push(code.S3Key);
    }
    resources[logicalId] = relocated;
  }
  const copy = replaceRefs({ ...template, Resources: {} }, bucket, 'template') as Template;
  return { template: { ...copy, Resources: resources }, artifactKeys };
}
