/**
 * Resident memory of the running stack: this process (every emulator and the Lambda worker
 * threads live in it) plus its DynamoDB Local child (java), read from /proc.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface StackMemory {
  nodeRssBytes: number;
  javaRssBytes: number;
  javaPid: number;
  totalBytes: number;
}

function childPids(pid: number): number[] {
  const result = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' });
  return result.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => Number(line));
}

/** VmRSS of a process, in bytes. */
function vmRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  if (!kilobytes) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(kilobytes) * 1024;
}

function command(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return ''; // exited meanwhile
  }
}

export function stackMemory(): StackMemory {
  const java = childPids(process.pid).filter((pid) => command(pid) === 'java');
  if (java.length !== 1)
    throw new Error(`expected one java child of ${process.pid} (DynamoDB Local), found ${java.length}`);
  const javaPid = java[0] as number;
  const nodeRssBytes = process.memoryUsage().rss;
  const javaRssBytes = vmRss(javaPid);
  return { nodeRssBytes, javaRssBytes, javaPid, totalBytes: nodeRssBytes + javaRssBytes };
}
