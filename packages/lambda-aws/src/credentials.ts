/**
 * The AWS SDK's default credential provider as function bundles get it: in Lambda the execution
 * role's credentials are always in the environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
 * `AWS_SESSION_TOKEN`), and the local cloud gives each function's environments the same variables.
 *
 * `services/serverless.common.yml` aliases `@aws-sdk/credential-provider-node` to this module in
 * every function bundle, so each SDK client resolves its credentials from the environment without
 * carrying the node chain's providers (profiles, SSO, IMDS, process, web identity and their nested
 * STS/SSO clients): about 145 KB and 10 ms of each function's cold start (docs/benchmarks.md).
 * Scripts, tests and the CLI are not bundled this way and keep the full chain.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

type FromEnvInit = Parameters<typeof fromEnv>[0];

/** Same signature as `defaultProvider` of `@aws-sdk/credential-provider-node`. */
export const defaultProvider = (init?: FromEnvInit) => fromEnv(init);
