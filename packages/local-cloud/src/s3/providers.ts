/** CloudFormation providers for S3 buckets (the Serverless deployment bucket, artifact buckets). */
import type { ProviderMap } from '../types.js';
import type { ObjectStore } from './store.js';

export function s3Providers(objects: ObjectStore): ProviderMap {
  return {
    'AWS::S3::Bucket': {
      async create(ctx, logicalId, properties) {
        const name =
          (properties.BucketName as string | undefined) ??
          `${ctx.stackName}-${logicalId}`.toLowerCase().slice(0, 48) +
            `-${Math.random().toString(36).slice(2, 12)}`;
        if (objects.hasBucket(name)) throw new Error(`bucket ${name} already exists`);
        objects.createBucket(name);
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
        if (!objects.hasBucket(physicalId)) return;
        if (objects.list(physicalId).length > 0)
          throw new Error(`bucket ${physicalId} is not empty: empty it before deleting the stack`);
        objects.deleteBucket(physicalId);
      },
    },
    'AWS::S3::BucketPolicy': {
      async create(_ctx, _logicalId, properties) {
        const bucket = properties.Bucket as string;
        if (!objects.hasBucket(bucket)) throw new Error(`bucket ${bucket} does not exist`);
        return { physicalId: `${bucket}-policy` };
      },
      async delete() {},
    },
  };
}
