/**
 * @packageDocumentation
 * The local cloud: runs the CloudFormation that `osls package` produces on local emulators
 * (DynamoDB Local, a Cognito user-pools emulator, Lambda execution environments in worker
 * threads, an API Gateway REST emulator). Service code reaches it through the standard AWS SDK
 * clients; only endpoints differ from AWS.
 *
 * @example
 * const cloud = await startLocalCloud({ ports: { gateway: 0, cognito: 0, dynamodb: 0, aws: 0 } });
 * await cloud.deploy(readPackagedService('services/products'));
 * await cloud.stop();
 */

export {
  ArtifactRelocationError,
  type RelocatedTemplate,
  relocateServerlessArtifacts,
  SERVERLESS_DEPLOYMENT_BUCKET,
} from './cfn/artifacts.js';
export { deployOrder, exportNames, importNames, type StackRecord, type Template } from './cfn/stacks.js';
export {
  DEFAULT_PORTS,
  type LocalCloud,
  type LocalCloudOptions,
  type LocalCloudPorts,
  type PackagedService,
  PortBusyError,
  readPackagedService,
  startLocalCloud,
} from './cloud.js';
export { JavaMissingError } from './dynamodb/server.js';
export { type CredentialsRegistry, ROOT_CREDENTIALS } from './iam/credentials.js';
export type { Clock, LocalEndpoints, OutboxMessage } from './types.js';
