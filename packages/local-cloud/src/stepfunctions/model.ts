/** What the emulator keeps (and persists) about state machines and their executions. */

export type StateMachineType = 'STANDARD' | 'EXPRESS';
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface StateMachineRecord {
  arn: string;
  name: string;
  type: StateMachineType;
  /** The definition exactly as given (a JSON string). */
  definition: string;
  roleArn: string;
  /** Epoch milliseconds on the local cloud's clock. */
  creationDate: number;
  revisionId: string;
  loggingConfiguration?: Record<string, unknown>;
  tracingConfiguration?: Record<string, unknown>;
  tags: { key: string; value: string }[];
}

/** One history event as GetExecutionHistory returns it (timestamp in epoch milliseconds here). */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  /** The one `<type>EventDetails` member AWS puts on this event type, if any. */
  [details: string]: unknown;
}

export interface ExecutionRecord {
  arn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startDate: number;
  stopDate?: number;
  traceHeader?: string;
  events: HistoryEvent[];
}

export interface EmulatorState {
  version: 1;
  stateMachines: Record<string, StateMachineRecord>;
  executions: Record<string, ExecutionRecord>;
}
