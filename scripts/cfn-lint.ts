/**
 * Lints every packaged CloudFormation template with cfn-lint (`pnpm cfn-lint`, after `pnpm package`),
 * and the tenant stack template built from them (pipelines/tenant-stack).
 * Warnings are printed; any error fails the run. Without cfn-lint on the machine it only says so.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { writeBuiltTemplate } from '../pipelines/tenant-stack/src/release.js';

interface Finding {
  Filename: string;
  Level: 'Error' | 'Warning' | 'Informational';
  Message: string;
  Rule: { Id: string };
  Location: { Start: { LineNumber: number } };
}

const root = join(import.meta.dirname, '..');
const servicesDir = join(root, 'services');
const templates = readdirSync(servicesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => join(servicesDir, entry.name, '.serverless', 'cloudformation-template-update-stack.json'))
  .filter((path) => existsSync(path));

if (templates.length === 0) {
  console.error('cfn-lint: no packaged templates found; run `pnpm package` first');
  process.exit(1);
}
// osls packages for the default stage, dev; the builder throws, naming the offender, if it cannot build.
templates.push(writeBuiltTemplate(root, 'dev'));

const run = spawnSync('cfn-lint', ['--format', 'json', ...templates.map((path) => relative(root, path))], {
  cwd: root,
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});

if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
  console.log('cfn-lint is not installed: skipping the template lint (pip install cfn-lint to enable it)');
  process.exit(0);
}

let findings: Finding[];
try {
  findings = JSON.parse(run.stdout || '[]') as Finding[];
} catch {
  // Not JSON: cfn-lint itself failed (bad arguments, crash); show what it said.
  process.stderr.write(run.stdout + run.stderr);
  process.exit(run.status || 1);
}

for (const finding of findings) {
  console.log(
    `${finding.Level.padEnd(13)} ${finding.Rule.Id} ${finding.Filename}:${finding.Location.Start.LineNumber} ${finding.Message}`,
  );
}
const errors = findings.filter((finding) => finding.Level === 'Error').length;
const warnings = findings.filter((finding) => finding.Level === 'Warning').length;
console.log(`cfn-lint: ${templates.length} templates, ${errors} errors, ${warnings} warnings`);
// cfn-lint's exit code is a bit mask (2 = error); trust it too in case an error was not in the JSON.
process.exit(errors > 0 || (run.status ?? 0) & 2 ? 1 : 0);
