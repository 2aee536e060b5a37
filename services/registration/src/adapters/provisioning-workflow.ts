import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { SignUpDeps } from '../domain/sign-up.js';

/**
 * Starts the provisioning state machine with the registration id as the execution name, so a
 * repeated start never runs provisioning twice: the same name and input while it runs is the same
 * execution (as AWS documents), and a closed execution's name is refused, which here means done.
 */
export function buildProvisioningWorkflow(
  sfn: Pick<SFNClient, 'send'>,
  stateMachineArn: string,
): SignUpDeps['provisioning'] {
  return {
    async start(registrationId, input) {
      try {
        await sfn.send(new StartExecutionCommand({ stateMachineArn, name: registrationId, input }));
      } catch (error) {
        if (!(error instanceof ExecutionAlreadyExists)) throw error;
      }
    },
  };
}
