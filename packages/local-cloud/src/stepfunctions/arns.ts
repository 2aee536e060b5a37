/** ARNs and names of state machines and executions, with the rules AWS applies to them. */
import { randomUUID } from 'node:crypto';
import { invalidArn, SfnServiceError } from './errors.js';

/** Characters AWS refuses in state machine and execution names (whitespace, brackets, wildcards, specials, controls). */
const FORBIDDEN_NAME_CHARACTERS = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/u;
const isControlCharacter = (character: string): boolean => {
  const code = character.codePointAt(0) ?? 0;
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
};

/** Throws `InvalidName` unless `name` is 1–80 characters without the characters AWS forbids. */
export function checkName(name: unknown, what: 'state machine' | 'execution'): string {
  if (typeof name !== 'string' || name.length < 1 || name.length > 80) {
    throw new SfnServiceError(
      'InvalidName',
      `Invalid Name: '${String(name)}' (${what} names are 1 to 80 characters)`,
    );
  }
  if (FORBIDDEN_NAME_CHARACTERS.test(name) || [...name].some(isControlCharacter)) {
    throw new SfnServiceError(
      'InvalidName',
      `Invalid Name: '${name}' (${what} names may not contain whitespace, brackets, wildcards, control characters or any of " # % \\ ^ | ~ \` $ & , ; : /)`,
    );
  }
  return name;
}

export const stateMachineArn = (region: string, accountId: string, name: string): string =>
  `arn:aws:states:${region}:${accountId}:stateMachine:${name}`;

export const executionArn = (
  region: string,
  accountId: string,
  stateMachineName: string,
  name: string,
  type: 'STANDARD' | 'EXPRESS',
): string =>
  type === 'EXPRESS'
    ? `arn:aws:states:${region}:${accountId}:express:${stateMachineName}:${name}:${randomUUID()}`
    : `arn:aws:states:${region}:${accountId}:execution:${stateMachineName}:${name}`;

const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+$/;
const EXECUTION_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:(execution|express):[^:]+:[^:]+(:[^:]+)?$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;

export function checkStateMachineArn(arn: unknown): string {
  if (typeof arn !== 'string' || !STATE_MACHINE_ARN.test(arn)) {
    throw invalidArn(`Invalid Arn: 'Resource type not valid in this context: ${String(arn)}'`);
  }
  return arn;
}

export function checkExecutionArn(arn: unknown): string {
  if (typeof arn !== 'string' || !EXECUTION_ARN.test(arn)) {
    throw invalidArn(`Invalid Arn: 'Resource type not valid in this context: ${String(arn)}'`);
  }
  return arn;
}

export function checkRoleArn(arn: unknown): string {
  if (typeof arn !== 'string' || !ROLE_ARN.test(arn)) {
    throw invalidArn(
      `Invalid Arn: 'Resource type not valid in this context: ${String(arn)}' (roleArn must be an IAM role ARN)`,
    );
  }
  return arn;
}

export const isExpressExecutionArn = (arn: string): boolean => arn.split(':')[5] === 'express';
