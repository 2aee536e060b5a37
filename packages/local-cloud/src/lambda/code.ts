import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { LambdaConfigError } from './errors.js';

const COMPLETE_MARKER = '.tenantry-code-complete';

/**
 * Unpacks code into `cacheDir/<sha256 of the content>/` once: code that did not change is not extracted
 * again, and every stack deploying the same artifact shares one copy. Returns the directory (the
 * function's `LAMBDA_TASK_ROOT`).
 */
export interface CodeStore {
  /** Unpacks a deployment package (zip file). */
  fromZipFile(zipPath: string): Promise<string>;
  /** Writes inline code (`Code.ZipFile`) as `index.js`, as Lambda does for Node.js runtimes. */
  fromInlineSource(source: string): Promise<string>;
}

export function createCodeStore(cacheDir: string): CodeStore {
  const inProgress = new Map<string, Promise<string>>();
  /** zip path → its hash, valid while size and mtime are unchanged (saves re-reading big zips). */
  const knownZips = new Map<string, { size: number; mtimeMs: number; hash: string }>();

  const once = (hash: string, write: (dir: string) => Promise<void>): Promise<string> => {
    let pending = inProgress.get(hash);
    if (!pending) {
      pending = materialise(cacheDir, hash, write);
      inProgress.set(hash, pending);
      pending.catch(() => inProgress.delete(hash));
    }
    return pending;
  };

  return {
    async fromZipFile(zipPath) {
      const info = await stat(zipPath).catch((err: unknown) => {
        throw new LambdaConfigError(
          `the code package ${zipPath} does not exist (run \`osls package\` first?)`,
          {
            cause: err,
          },
        );
      });
      const known = knownZips.get(zipPath);
      if (known && known.size === info.size && known.mtimeMs === info.mtimeMs) {
        const dir = inProgress.get(known.hash);
        if (dir) return dir;
      }
      const bytes = await readFile(zipPath);
      const hash = sha256(bytes);
      knownZips.set(zipPath, { size: info.size, mtimeMs: info.mtimeMs, hash });
      return once(hash, (dir) => extractZip(bytes, dir, zipPath));
    },
    fromInlineSource(source) {
      const hash = sha256(Buffer.from(`inline\0${source}`));
      return once(hash, (dir) => writeFile(path.join(dir, 'index.js'), source));
    },
  };
}

/**
 * Lambda's task root has no package.json above it, so a `.js` file there is CommonJS. The cache
 * may sit inside a project whose package.json says `"type": "module"`; a package.json of its own
 * at the cache root stops Node's lookup there (a package.json inside the code still wins).
 */
async function isolateFromEnclosingPackage(cacheDir: string): Promise<void> {
  const marker = path.join(cacheDir, 'package.json');
  if (await exists(marker)) return;
  await mkdir(cacheDir, { recursive: true });
  await writeFile(marker, '{}\n');
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 32);
}

async function materialise(
  cacheDir: string,
  hash: string,
  write: (dir: string) => Promise<void>,
): Promise<string> {
  const dir = path.join(cacheDir, hash);
  await isolateFromEnclosingPackage(cacheDir);
  if (await exists(path.join(dir, COMPLETE_MARKER))) return dir;
  // Extract beside the final place and rename: another process sharing the cache never sees half a tree.
  const tmp = path.join(cacheDir, `.tmp-${hash}-${randomBytes(4).toString('hex')}`);
  await mkdir(tmp, { recursive: true });
  try {
    await write(tmp);
    await writeFile(path.join(tmp, COMPLETE_MARKER), '');
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    if (await exists(path.join(dir, COMPLETE_MARKER))) return dir;
    throw err;
  }
  return dir;
}

async function extractZip(bytes: Uint8Array, dir: string, zipPath: string): Promise<void> {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (err) {
    throw new LambdaConfigError(`the code package ${zipPath} is not a valid zip file`, { cause: err });
  }
  const created = new Set<string>();
  for (const [name, content] of Object.entries(entries)) {
    const target = path.resolve(dir, name);
    if (target !== dir && !target.startsWith(dir + path.sep)) {
      throw new LambdaConfigError(`the code package ${zipPath} has an entry outside its root: ${name}`);
    }
    if (name.endsWith('/')) {
      await mkdir(target, { recursive: true });
      continue;
    }
    const parent = path.dirname(target);
    if (!created.has(parent)) {
      await mkdir(parent, { recursive: true });
      created.add(parent);
    }
    await writeFile(target, content);
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
