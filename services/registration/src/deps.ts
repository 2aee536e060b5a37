import { SFNClient } from '@aws-sdk/client-sfn';
import { createDocumentClient } from '@tenantry/data';
import { buildUserDirectory, createIdTokenVerifier } from '@tenantry/identity';
import { COGNITO_IDENTITY_PROVIDER, createJsonClient } from '@tenantry/lambda-aws';
import { buildCallers } from './adapters/callers.js';
import { serverIds } from './adapters/ids.js';
import { buildProvisioningWorkflow } from './adapters/provisioning-workflow.js';
import { buildRegistrationStore } from './adapters/registration-store.js';
import type { Config, SignUpConfig, WorkflowConfig } from './config.js';
import type { ProvisioningDeps } from './domain/provisioning.js';
import type { SignUpDeps } from './domain/sign-up.js';

/** POST /registrations' dependencies, wired once per container. */
export function signUpDeps(config: SignUpConfig): SignUpDeps {
  return {
    registrations: buildRegistrationStore(createDocumentClient(), {
      registrationTable: config.registrationTableName,
      tenantTable: config.tenantTableName,
    }),
    provisioning: buildProvisioningWorkflow(new SFNClient({}), config.stateMachineArn),
    callers: buildCallers({
      // The pools the control plane accepts: a SystemAdmin may register platinum; a tenant user's
      // valid token is refused with 403 rather than 401.
      verifier: createIdTokenVerifier({
        region: config.region,
        pools: [
          config.operationsPool,
          { userPoolId: config.pooled.userPoolId, appClientId: config.pooled.appClientId },
        ],
      }),
      users: buildUserDirectory(createJsonClient(COGNITO_IDENTITY_PROVIDER)),
    }),
    ids: serverIds,
    now: () => new Date(),
    pooled: config.pooled,
  };
}

/** The internal functions' dependencies (recordProgress needs no tenant registry). */
export function provisioningDeps(config: Config & Partial<WorkflowConfig>): ProvisioningDeps {
  return {
    registrations: buildRegistrationStore(createDocumentClient(), {
      registrationTable: config.registrationTableName,
      ...(config.tenantTableName === undefined ? {} : { tenantTable: config.tenantTableName }),
    }),
  };
}
