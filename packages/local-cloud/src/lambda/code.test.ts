import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCodeStore } from './code.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lambda-code-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function writeZip(name: string, files: Record<string, string>): Promise<string> {
  const zipPath = path.join(root, name);
  await writeFile(
    zipPath,
    zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)]))),
  );
  return zipPath;
}

describe('createCodeStore', () => {
  it('extracts a zip with nested folders', async () => {
    const zipPath = await writeZip('hello.zip', { 'src/functions/hello/handler.js': 'exports.handler = 1;' });
    const dir = await createCodeStore(path.join(root, 'cache')).fromZipFile(zipPath);
    expect(await readFile(path.join(dir, 'src/functions/hello/handler.js'), 'utf8')).toBe(
      'exports.handler = 1;',
    );
  });

  it('does not extract unchanged code again, even from a new store', async () => {
    const cache = path.join(root, 'cache');
    const zipPath = await writeZip('hello.zip', { 'index.js': 'exports.handler = 1;' });
    const first = await createCodeStore(cache).fromZipFile(zipPath);
    await writeFile(path.join(first, 'index.js'), 'overwritten locally');
    const second = await createCodeStore(cache).fromZipFile(zipPath);
    expect(second).toBe(first);
    expect(await readFile(path.join(second, 'index.js'), 'utf8')).toBe('overwritten locally');
  });

  it('gives changed code its own directory', async () => {
    const store = createCodeStore(path.join(root, 'cache'));
    const before = await store.fromZipFile(await writeZip('a.zip', { 'index.js': 'v1' }));
    const after = await store.fromZipFile(await writeZip('b.zip', { 'index.js': 'v2' }));
    expect(after).not.toBe(before);
    expect(await readFile(path.join(after, 'index.js'), 'utf8')).toBe('v2');
  });

  it('shares one extraction between concurrent calls', async () => {
    const cache = path.join(root, 'cache');
    const store = createCodeStore(cache);
    const zipPath = await writeZip('a.zip', { 'index.js': 'v1' });
    const dirs = await Promise.all([store.fromZipFile(zipPath), store.fromZipFile(zipPath)]);
    expect(dirs[0]).toBe(dirs[1]);
    expect((await readdir(cache)).filter((name) => name.startsWith('.tmp-'))).toEqual([]);
  });

  it('names the missing file when the package does not exist', async () => {
    const missing = path.join(root, '.serverless', 'nope.zip');
    await expect(createCodeStore(path.join(root, 'cache')).fromZipFile(missing)).rejects.toThrow(missing);
  });

  it('refuses entries that escape the code directory', async () => {
    const zipPath = await writeZip('evil.zip', { '../escaped.js': 'x' });
    await expect(createCodeStore(path.join(root, 'cache')).fromZipFile(zipPath)).rejects.toThrow(
      /outside its root/,
    );
    await expect(stat(path.join(root, 'escaped.js'))).rejects.toThrow();
  });

  it('writes inline code as index.js', async () => {
    const dir = await createCodeStore(path.join(root, 'cache')).fromInlineSource(
      'exports.handler = async () => 1;',
    );
    expect(await readFile(path.join(dir, 'index.js'), 'utf8')).toBe('exports.handler = async () => 1;');
  });
});
