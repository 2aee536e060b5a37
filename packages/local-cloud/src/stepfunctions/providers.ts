/**
 * CloudFormation provider of `AWS::StepFunctions::StateMachine`, for templates as
 * serverless-step-functions 3.31.2 writes them (`DefinitionString` as a string or `Fn::Sub`, resolved
 * before it arrives here; `RoleArn`, `StateMachineName`, `StateMachineType`, `LoggingConfiguration`,
 * `TracingConfiguration`, `Tags`), plus `Definition` (an object) and `DefinitionSubstitutions`.
 */
import { randomBytes } from 'node:crypto';
import type { ProviderMap } from '../types.js';
import { stateMachineArn } from './arns.js';
import { SfnServiceError } from './errors.js';
import { createStateMachine, type Deps, deleteStateMachine, updateStateMachine } from './operations.js';

const TYPE = 'AWS::StepFunctions::StateMachine';
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** CloudFormation's generated physical name: `<logicalId>-<12 random characters>`. */
function generatedName(logicalId: string): string {
  const suffix = [...randomBytes(12)].map((byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join('');
  return `${logicalId.slice(0, 67)}-${suffix}`;
}

function substitute(text: string, substitutions: unknown): string {
  if (substitutions === undefined) return text;
  if (typeof substitutions !== 'object' || substitutions === null || Array.isArray(substitutions)) {
    throw new Error(`${TYPE}: DefinitionSubstitutions must be a map of names to values`);
  }
  const values = substitutions as Record<string, unknown>;
  return text.replace(/\$\{([^}]+)\}/g, (whole, key: string) =>
    Object.hasOwn(values, key) ? String(values[key]) : whole,
  );
}

function definitionText(properties: Record<string, unknown>): string {
  if (properties.DefinitionS3Location !== undefined) {
    throw new Error(
      `${TYPE}: the local cloud does not support DefinitionS3Location (inline the definition with DefinitionString or Definition)`,
    );
  }
  const { DefinitionString, Definition } = properties;
  if ((DefinitionString === undefined) === (Definition === undefined)) {
    throw new Error(`${TYPE}: give exactly one of DefinitionString and Definition`);
  }
  const text = DefinitionString !== undefined ? DefinitionString : JSON.stringify(Definition);
  if (typeof text !== 'string')
    throw new Error(`${TYPE}: DefinitionString must be a string (intrinsics resolved)`);
  return substitute(text, properties.DefinitionSubstitutions);
}

function logging(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  const config = value as {
    Level?: string;
    IncludeExecutionData?: boolean;
    Destinations?: { CloudWatchLogsLogGroup?: { LogGroupArn?: string } }[];
  };
  return {
    level: config.Level ?? 'OFF',
    includeExecutionData: config.IncludeExecutionData ?? false,
    ...(config.Destinations
      ? {
          destinations: config.Destinations.map((destination) => ({
            cloudWatchLogsLogGroup: { logGroupArn: destination.CloudWatchLogsLogGroup?.LogGroupArn },
          })),
        }
      : {}),
  };
}

/**
 * @param restored ARNs of state machines loaded from the data file: after a restart the stack
 * engine re-creates its resources, and these are taken over in place (keeping their executions).
 */
export function createStepFunctionsProviders(deps: Deps, restored: Set<string>): ProviderMap {
  return {
    [TYPE]: {
      async create(_ctx, logicalId, properties) {
        const name = (properties.StateMachineName as string | undefined) ?? generatedName(logicalId);
        const arn = stateMachineArn(deps.region, deps.accountId, name);
        const tracing = properties.TracingConfiguration as { Enabled?: boolean } | undefined;
        const input = {
          name,
          definition: definitionText(properties),
          roleArn: properties.RoleArn,
          type: properties.StateMachineType,
          loggingConfiguration: logging(properties.LoggingConfiguration),
          tracingConfiguration: tracing ? { enabled: tracing.Enabled ?? false } : undefined,
          tags: ((properties.Tags ?? []) as { Key: string; Value: string }[]).map((tag) => ({
            key: tag.Key,
            value: tag.Value,
          })),
        };
        try {
          if (restored.has(arn) && deps.store.state.stateMachines[arn]) {
            restored.delete(arn);
            const record = deps.store.state.stateMachines[arn];
            updateStateMachine(deps, {
              stateMachineArn: arn,
              definition: input.definition,
              roleArn: input.roleArn,
            });
            record.type = input.type === 'EXPRESS' ? 'EXPRESS' : 'STANDARD';
            if (input.loggingConfiguration) record.loggingConfiguration = input.loggingConfiguration;
            else delete record.loggingConfiguration;
            if (input.tracingConfiguration) record.tracingConfiguration = input.tracingConfiguration;
            else delete record.tracingConfiguration;
            record.tags = input.tags;
          } else {
            if (deps.store.state.stateMachines[arn]) {
              throw new SfnServiceError(
                'StateMachineAlreadyExists',
                `State Machine Already Exists: '${arn}'`,
              );
            }
            createStateMachine(deps, input);
          }
        } catch (error) {
          if (error instanceof SfnServiceError)
            throw new Error(`${TYPE} ${logicalId}: ${error.type}: ${error.message}`, { cause: error });
          throw error;
        }
        const record = deps.store.state.stateMachines[arn];
        return {
          physicalId: arn,
          attributes: { Arn: arn, Name: name, StateMachineRevisionId: record?.revisionId },
        };
      },
      async delete(_ctx, physicalId) {
        deleteStateMachine(deps, { stateMachineArn: physicalId });
      },
    },
  };
}
