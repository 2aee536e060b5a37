/**
 * The runtime-API phase of `pnpm bench`, after the local-cloud phase has stopped its stack: the IAM
 * guard in this process, then GetItem and throttling in one bare local cloud, then CreateStack in a
 * fresh one with only the platform stack deployed.
 */
import { createStackTimes } from './create-stack.js';
import { endToEndIam, guardOverhead } from './iam.js';
import { withLocalCloud } from './local-cloud.js';
import { machine } from './machine.js';
import type { RuntimeResults } from './runtime-goals.js';
import { throttlingFidelity } from './throttling.js';

export async function runRuntimeApis(root: string, step: (line: string) => void): Promise<RuntimeResults> {
  const host = machine();
  step('IAM guard in process: GetItem, Query, TransactWriteItems (a few seconds)');
  const guard = await guardOverhead();
  step('bare local cloud: GetItem root vs tenant role session, then throttling (about 25 s)');
  const [endToEnd, throttling] = await withLocalCloud(async (cloud) => {
    const iam = await endToEndIam(cloud);
    step('throttling: burst of 300 and a 10 s flood from a client process');
    return [iam, await throttlingFidelity(root, cloud)] as const;
  });
  step('fresh local cloud with the platform stack: CreateStack vs the engine, 5 cycles each');
  const createStack = await createStackTimes(root);
  return { machine: host, iam: { guard, endToEnd }, createStack, throttling };
}
