/**
 * Creates the secrets a stage needs before its first deploy on AWS, leaving existing ones alone:
 * the page-token key (`/tenantry/<stage>/page-token-key`, a SecureString of 32 random bytes in
 * base64) that seals the `nextToken` of tenant listings. Uses the default credential chain.
 *
 *   npx tsx scripts/init-secrets.ts --stage prod [--region eu-west-1]
 *
 * The local stack (`pnpm dev`, tests) seeds the same parameter itself.
 */
import { parseArgs } from 'node:util';
import { SSMClient } from '@aws-sdk/client-ssm';
import { ensurePageTokenKey, pageTokenKeyParameter } from '@tenantry/tenant-data';

const { values } = parseArgs({
  options: { stage: { type: 'string', default: 'dev' }, region: { type: 'string' } },
});
const stage = values.stage as string;
if (!/^[a-zA-Z0-9-]+$/.test(stage))
  throw new Error(`--stage must be letters, digits and hyphens, got "${stage}"`);
const ssm = new SSMClient(values.region ? { region: values.region } : {});
const outcome = await ensurePageTokenKey(ssm, stage);
process.stdout.write(
  `${pageTokenKeyParameter(stage)} ${outcome === 'created' ? 'created' : 'exists; left as it is'}\n`,
);
