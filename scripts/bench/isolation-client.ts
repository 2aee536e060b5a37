/**
 * The identity-and-isolation micro-benchmarks, in a fresh Node process whose stdout is /dev/null
 * (the authorizer's decision lines and any Powertools output go there, as they would go to the
 * log pipe on Lambda): `tsx scripts/bench/isolation-client.ts '<IsolationClientArgs as JSON>'`.
 * The result is written as JSON to `args.resultFile`.
 */
import { writeFileSync } from 'node:fs';
import { type AuthorizerResults, warmAuthorizer } from './authorizer.js';
import { type MiddlewareResults, middlewareOverhead } from './middleware.js';

export interface IsolationClientArgs {
  resultFile: string;
  authorizer: boolean;
}

export interface IsolationClientResult {
  authorizer?: AuthorizerResults;
  middleware: MiddlewareResults;
}

async function main(args: IsolationClientArgs): Promise<IsolationClientResult> {
  const middleware = await middlewareOverhead();
  return args.authorizer ? { authorizer: await warmAuthorizer(), middleware } : { middleware };
}

const args = JSON.parse(process.argv[2] ?? '{}') as IsolationClientArgs;
main(args).then(
  (result) => {
    writeFileSync(args.resultFile, JSON.stringify(result));
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`isolation bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
