/**
 * S3 buckets as the Serverless templates declare them (the deployment bucket and its policy).
 * Locally, function code comes from the packaged service folder, not from a bucket.
 */
import type { ProviderMap } from '../types.js';

export function s3Providers(buckets: Set<string>): ProviderMap {
  return {
    'AWS::S3::Bucket': {
      async create(ctx, logicalId, properties) {
        const name =
          (properties.BucketName as string | undefined) ??
          `${ctx.stackName}-${logicalId}-${Math.random().toString(36).slice(2, 14)}`.toLowerCase();
        if (buckets.has(name)) throw new Error(`bucket ${name} already exists`);
        buckets.add(name);
        return {
          physicalId: name,
          attributes: {
            Arn: `arn:aws:s3:::${name}`,
            DomainName: `${name}.s3.amazonaws.com`,
            RegionalDomainName: `${name}.s3.${ctx.region}.amazonaws.com`,
            WebsiteURL: `http://${name}.s3-website-${ctx.region}.amazonaws.com`,
          },
        };
      },
      async delete(_ctx, physicalId) {
        buckets.delete(physicalId);
      },
    },
    'AWS::S3::BucketPolicy': {
      async create(_ctx, _logicalId, properties) {
        const bucket = properties.Bucket as string;
        if (!buckets.has(bucket)) throw new Error(`bucket ${bucket} does not exist`);
        return { physicalId: `${bucket}-policy` };
      },
      async delete() {},
    },
  };
}
