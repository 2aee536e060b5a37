import { describe, expect, it } from 'vitest';
import { relocateServerlessArtifacts } from './artifacts.js';
import type { Template } from './stacks.js';

const KEY = 'serverless/tenantry-products/dev/1795957964436-2026-11-29T13:12:44.436Z/getProduct.zip';

/** The shape `osls package` gives a service with one function (trimmed). */
function packaged(): Template {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: {
      ServerlessDeploymentBucket: {
        Type: 'AWS::S3::Bucket',
        Properties: { BucketEncryption: { ServerSideEncryptionConfiguration: [] } },
      },
      ServerlessDeploymentBucketPolicy: {
        Type: 'AWS::S3::BucketPolicy',
        Properties: {
          Bucket: { Ref: 'ServerlessDeploymentBucket' },
          PolicyDocument: {
            Statement: [
              {
                Effect: 'Deny',
                Action: 's3:*',
                Resource: [
                  {
                    'Fn::Join': [
                      '',
                      ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: 'ServerlessDeploymentBucket' }],
                    ],
                  },
                ],
              },
            ],
          },
        },
      },
      GetProductLambdaFunction: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Code: { S3Bucket: { Ref: 'ServerlessDeploymentBucket' }, S3Key: KEY },
          Handler: 'src/functions/getProduct/handler.handler',
          Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
        },
        DependsOn: ['GetProductLogGroup', 'ServerlessDeploymentBucketPolicy'],
      },
      InlineFunction: {
        Type: 'AWS::Lambda::Function',
        Properties: { Code: { ZipFile: 'exports.handler = async () => ({});' }, Handler: 'index.handler' },
        DependsOn: 'ServerlessDeploymentBucket',
      },
      GetProductLogGroup: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/aws/lambda/p' } },
    },
    Outputs: {
      ServerlessDeploymentBucketName: {
        Value: { Ref: 'ServerlessDeploymentBucket' },
        Export: { Name: 'sls-tenantry-products-dev-ServerlessDeploymentBucketName' },
      },
      TableName: { Value: { Ref: 'ProductTable' } },
    },
  };
}

describe('relocateServerlessArtifacts', () => {
  it('points function code at the given bucket and lists the keys to upload there', () => {
    const { template, artifactKeys } = relocateServerlessArtifacts(packaged(), 'bench-artifacts');
    expect(template.Resources.GetProductLambdaFunction?.Properties?.Code).toEqual({
      S3Bucket: 'bench-artifacts',
      S3Key: KEY,
    });
    expect(artifactKeys).toEqual([KEY]);
  });

  it('drops the deployment bucket, its policy and the dependencies on them', () => {
    const { template } = relocateServerlessArtifacts(packaged(), 'bench-artifacts');
    expect(Object.keys(template.Resources)).toEqual([
      'GetProductLambdaFunction',
      'InlineFunction',
      'GetProductLogGroup',
    ]);
    expect(template.Resources.GetProductLambdaFunction?.DependsOn).toEqual(['GetProductLogGroup']);
    expect(template.Resources.InlineFunction).not.toHaveProperty('DependsOn');
    expect(JSON.stringify(template)).not.toContain('ServerlessDeploymentBucket"}');
  });

  it('replaces the bucket in outputs and keeps everything else as it was', () => {
    const original = packaged();
    const { template } = relocateServerlessArtifacts(original, 'bench-artifacts');
    expect(template.Outputs?.ServerlessDeploymentBucketName?.Value).toBe('bench-artifacts');
    expect(template.Outputs?.TableName).toEqual({ Value: { Ref: 'ProductTable' } });
    expect(template.Resources.InlineFunction?.Properties).toEqual(
      original.Resources.InlineFunction?.Properties,
    );
    expect(original).toEqual(packaged());
  });

  it('refuses a Fn::GetAtt of the deployment bucket instead of leaving it dangling', () => {
    const template = packaged();
    template.Resources.InlineFunction = {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Environment: { Variables: { BUCKET_ARN: { 'Fn::GetAtt': 'ServerlessDeploymentBucket.Arn' } } },
      },
    };
    expect(() => relocateServerlessArtifacts(template, 'b')).toThrow(
      'Resources.InlineFunction.Properties.Environment.Variables.BUCKET_ARN: Fn::GetAtt of ServerlessDeploymentBucket',
    );
  });
});
