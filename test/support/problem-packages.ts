import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { ZipFile } from 'yazl';
import type { VerdictStack } from './verdict-stack';

export const EXAMPLE_PROBLEMS = join(__dirname, '../../examples/problems');

/** Every file of a package directory, by its path in the package. */
export async function filesOf(dir: string): Promise<Record<string, Buffer>> {
  const files: Record<string, Buffer> = {};
  const walk = async (at: string): Promise<void> => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) await walk(path);
      else files[relative(dir, path)] = await readFile(path);
    }
  };
  await walk(dir);
  return files;
}

/** The JSON form of a package directory: problem.yaml's fields and the other files as text. */
export async function jsonPackageOf(dir: string, changes: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const { 'problem.yaml': manifest, ...rest } = await filesOf(dir);
  return { ...parse(manifest.toString()), files: Object.fromEntries(Object.entries(rest).map(([path, content]) => [path, content.toString('utf8')])), ...changes };
}

/** A zip of files (a package directory's, optionally under a folder, as `zip -r` of the folder makes). */
export async function zipOf(files: Record<string, Buffer | string>, folder = ''): Promise<Buffer> {
  const zip = new ZipFile();
  for (const [path, content] of Object.entries(files)) zip.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content), folder ? `${folder}/${path}` : path);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** POSTs raw bytes (a zip) the way a client uploading a file would. */
export async function postBytes(stack: VerdictStack, path: string, body: Buffer, contentType = 'application/zip'): Promise<{ status: number; body: any }> {
  const response = await fetch(`${stack.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': contentType, ...stack.authHeaders() }, body });
  return { status: response.status, body: await response.json() };
}
