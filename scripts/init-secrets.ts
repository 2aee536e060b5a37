/**
 * Creates the secrets a stage needs before its first deploy on AWS, leaving existing ones alone:
 * the page-token key (`/tenantry/<stage>/page-token-key`, a SecureString of 32 random bytes in
 * base64) that seals the `nextToken` of tenant listings. Uses the default credential chain.
 *
 *   npx tsx scripts/init-secrets.ts --stage prod [--region eu-west-1]
 *
 * The local stack (`pnpm dev`, tests) seeds the same parameter itself.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { GetParameterCommand, ParameterNotFound, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

const { values } = parseArgs({
  options: { stage: { type: 'string', default: 'dev' }, region: { type: 'string' } },
});
const stage = values.stage as string;
if (!/^[a-zA-Z0-9-]+$/.test(stage))
  throw new Error(`--stage must be letters, digits and hyphens, got "${stage}"`);
const ssm = new SSMClient(values.region ? { region: values.region } : {});
const name = `/tenantry/${stage}/page-token-key`;

try {
  await ssm.send(new GetParameterCommand({ Name: name }));
  process.stdout.write(`${name} exists; left as it is\n`);
} catch (error) {
  if (!(error instanceof ParameterNotFound)) throw error;
  await ssm.send(
    new PutParameterCommand({
      Name: name,
      Type: 'SecureString',
      Value: randomBytes(32).toString('base64'),
      Description: 'Key that seals the nextToken of tenant listings (AES-256-GCM)',
      Overwrite: false,
    }),
  );
  process.stdout.write(`created ${name}\n`);
}
