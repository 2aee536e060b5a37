/**
 * `pnpm bench` (after `pnpm package`): measures the local cloud, then its runtime APIs, then identity
 * and isolation at run time, each against its baselines in the same run, regenerates their sections
 * of docs/benchmarks.md and prints a summary. Missed goals are reported, not failures; the exit code
 * is non-zero only when the bench itself fails.
 */
import { join, resolve } from 'node:path';
import { ISOLATION_MARKERS, isolationSummary, renderIsolationSection } from './bench/isolation-report.js';
import { runIsolation } from './bench/isolation-run.js';
import { runNoisyNeighbour } from './bench/noisy-neighbour.js';
import { NOISY_MARKERS, noisySummary, renderNoisySection } from './bench/noisy-report.js';
import {
  ONBOARDING_MARKERS,
  onboardingSummary,
  renderOnboardingSection,
  runOnboarding,
} from './bench/onboarding.js';
import { formatMarkdown, renderSection, summary, writeSection } from './bench/report.js';
import { runBench } from './bench/run.js';
import { RUNTIME_MARKERS, renderRuntimeSection, runtimeSummary } from './bench/runtime-report.js';
import { runRuntimeApis } from './bench/runtime-run.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const root = resolve(import.meta.dirname, '..');
const file = join(root, 'docs', 'benchmarks.md');
const started = performance.now();
const step = (line: string) =>
  process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(1).padStart(5)}s] ${line}\n`);

/** `pnpm bench --only local-cloud|noisy-neighbour|onboarding` runs that phase alone. */
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;

async function noisyNeighbourPhase(): Promise<void> {
  const noisy = await runNoisyNeighbour(root, step);
  writeSection(file, renderNoisySection(noisy), '# Benchmarks\n', NOISY_MARKERS);
  formatMarkdown(root, file);
  process.stdout.write(noisySummary(noisy));
  step(`wrote the noisy-neighbour section of ${file}`);
}

/** `pnpm bench --only onboarding`: registrations to ACTIVE, pooled and platinum. */
async function onboardingPhase(): Promise<void> {
  const onboarding = await runOnboarding(root, step);
  writeSection(file, renderOnboardingSection(onboarding), '# Benchmarks\n', ONBOARDING_MARKERS);
  formatMarkdown(root, file);
  process.stdout.write(onboardingSummary(onboarding));
  step(`wrote the onboarding section of ${file}`);
}

try {
  if (only === 'onboarding') {
    await onboardingPhase();
    process.exit(0);
  }
  if (only === 'noisy-neighbour') {
    await noisyNeighbourPhase();
    process.exit(0);
  }
  const results = await runBench(root, step);
  writeSection(file, renderSection(results), '# Benchmarks\n');
  formatMarkdown(root, file);
  process.stdout.write(summary(results));
  step(`wrote the local-cloud section of ${file}`);
  if (only === 'local-cloud') process.exit(0);

  const runtime = await runRuntimeApis(root, step);
  writeSection(file, renderRuntimeSection(runtime), '# Benchmarks\n', RUNTIME_MARKERS);
  formatMarkdown(root, file);
  process.stdout.write(runtimeSummary(runtime));
  step(`wrote the runtime-apis section of ${file}`);

  const isolation = { ...(await runIsolation(root, step)), coldStart: results.coldStart };
  writeSection(file, renderIsolationSection(isolation), '# Benchmarks\n', ISOLATION_MARKERS);
  formatMarkdown(root, file);
  process.stdout.write(isolationSummary(isolation));
  step(`wrote the isolation section of ${file}`);

  await noisyNeighbourPhase();
  await onboardingPhase();
} catch (error) {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
}
