import { FieldError } from '@verdict/contracts';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { Readable } from 'node:stream';
import { parseDocument } from 'yaml';
import { Entry, fromBufferPromise } from 'yauzl';
import { InvalidProblemPackageError } from './problem-errors';
import { MANIFEST_FILE } from './problem-version';

/** How big a package may be, from PROBLEM_MAX_* (ProblemsConfig). */
export interface PackageBounds {
  maxFileBytes: number;
  maxTotalBytes: number;
  maxFiles: number;
}

/**
 * A problem package however it arrived (a directory, a JSON body, a zip): the manifest as parsed,
 * not yet checked, and every file by its path relative to the package root.
 */
export interface ProblemPackage {
  manifest: unknown;
  files: ReadonlyMap<string, Buffer>;
}

/** `./tests//1.in` → `tests/1.in`; null for paths that leave the package (absolute, `..`, backslashes). */
export function normalizePackagePath(path: string): string | null {
  if (path.includes('\\') || path.includes('\0') || path.startsWith('/')) return null;
  const normalized = posix.normalize(path).replace(/^(\.\/)+/, '');
  if (normalized === '.' || normalized === '' || normalized.startsWith('../') || normalized === '..' || normalized.endsWith('/')) return null;
  return normalized;
}

/** How errors name a file of a package: as the key of the JSON form's `files` map (`files["tests/3.in"]`). */
export function packageFileField(path: string): string {
  return `files[${JSON.stringify(path)}]`;
}

const MB = 1024 * 1024;
const size = (bytes: number) => (bytes >= MB ? `${Math.ceil(bytes / MB)} MB` : bytes >= 1024 ? `${Math.ceil(bytes / 1024)} KiB` : `${bytes} bytes`);

/** Collects files while holding the package to its bounds; reports every oversized file, then the total. */
class PackageFiles {
  readonly files = new Map<string, Buffer>();
  readonly problems: FieldError[] = [];
  private total = 0;
  private count = 0;

  constructor(private readonly bounds: PackageBounds) {}

  /** Whether a file of `bytes` may be added; records why not. Call before reading the bytes. */
  admit(path: string, bytes: number): boolean {
    this.count += 1;
    this.total += bytes;
    if (this.count === this.bounds.maxFiles + 1) this.problems.push({ field: null, message: `package: more than ${this.bounds.maxFiles} files (PROBLEM_MAX_FILES)` });
    if (bytes > this.bounds.maxFileBytes) {
      this.problems.push({ field: packageFileField(path), message: `${path}: ${size(bytes)} is larger than the ${size(this.bounds.maxFileBytes)} a file may be (PROBLEM_MAX_FILE_MB)` });
      return false;
    }
    return this.count <= this.bounds.maxFiles && this.total <= this.bounds.maxTotalBytes;
  }

  add(path: string, content: Buffer): void {
    if (this.files.has(path)) this.problems.push({ field: packageFileField(path), message: `${path}: appears twice in the package` });
    this.files.set(path, content);
  }

  /** The files, or InvalidProblemPackageError listing every bound crossed. */
  checked(): Map<string, Buffer> {
    if (this.total > this.bounds.maxTotalBytes) {
      this.problems.push({ field: null, message: `package: ${size(this.total)} of files, more than the ${size(this.bounds.maxTotalBytes)} allowed (PROBLEM_MAX_PACKAGE_MB)` });
    }
    if (this.problems.length > 0) throw new InvalidProblemPackageError(this.problems);
    return this.files;
  }
}

/** The package of a directory or zip: problem.yaml at its root, parsed. */
function withManifest(files: Map<string, Buffer>): ProblemPackage {
  const manifest = files.get(MANIFEST_FILE);
  if (!manifest) throw new InvalidProblemPackageError({ field: packageFileField(MANIFEST_FILE), message: `${MANIFEST_FILE}: missing (the package root must hold it)` });
  return { manifest: parseManifestYaml(manifest), files };
}

/** problem.yaml as data; YAML syntax errors become InvalidProblemPackageError, each with its line and column. */
export function parseManifestYaml(content: Buffer | string): unknown {
  let text: string;
  try {
    text = typeof content === 'string' ? content : new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw new InvalidProblemPackageError({ field: packageFileField(MANIFEST_FILE), message: `${MANIFEST_FILE}: is not UTF-8 text` });
  }
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new InvalidProblemPackageError(document.errors.map((e) => ({ field: packageFileField(MANIFEST_FILE), message: `${MANIFEST_FILE}: ${e.message.split('\n')[0].replace(/:$/, '')}` })));
  }
  try {
    return document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new InvalidProblemPackageError({ field: packageFileField(MANIFEST_FILE), message: `${MANIFEST_FILE}: ${(error as Error).message}` });
  }
}

/** A package directory on disk (the examples, a checkout of a problem repository). Symlinks are not followed. */
export async function readProblemDirectory(dir: string, bounds: PackageBounds): Promise<ProblemPackage> {
  const collected = new PackageFiles(bounds);
  const walk = async (relative: string): Promise<void> => {
    for (const entry of await readdir(join(dir, relative), { withFileTypes: true })) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && collected.admit(path, (await lstat(join(dir, path))).size)) collected.add(path, await readFile(join(dir, path)));
    }
  };
  await walk('');
  return withManifest(collected.checked());
}

/**
 * The JSON form: the problem.yaml document with a `files` map {path: content}; content is UTF-8
 * text, or `{ "base64": "..." }` for bytes that are not.
 */
export function problemPackageFromJson(body: unknown, bounds: PackageBounds): ProblemPackage {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidProblemPackageError(['body: must be a JSON object (the problem.yaml fields and a files map)']);
  }
  const { files, ...manifest } = body as Record<string, unknown>;
  const collected = new PackageFiles(bounds);
  if (files !== undefined && (typeof files !== 'object' || files === null || Array.isArray(files))) {
    throw new InvalidProblemPackageError({ field: 'files', message: 'files: must be a map of path to content' });
  }
  for (const [rawPath, value] of Object.entries((files ?? {}) as Record<string, unknown>)) {
    const path = normalizePackagePath(rawPath);
    if (!path) {
      collected.problems.push({ field: packageFileField(rawPath), message: `files.${rawPath}: not a relative path inside the package` });
      continue;
    }
    let content: Buffer;
    if (typeof value === 'string') content = Buffer.from(value, 'utf8');
    else if (typeof value === 'object' && value !== null && typeof (value as { base64?: unknown }).base64 === 'string' && Object.keys(value).length === 1) {
      content = Buffer.from((value as { base64: string }).base64, 'base64');
    } else {
      collected.problems.push({ field: packageFileField(rawPath), message: `files.${rawPath}: must be a string (UTF-8 text) or {"base64": "..."}` });
      continue;
    }
    if (collected.admit(path, content.length)) collected.add(path, content);
  }
  if (collected.files.has(MANIFEST_FILE)) {
    collected.problems.push({ field: packageFileField(MANIFEST_FILE), message: `files.${MANIFEST_FILE}: the JSON body is the manifest; leave ${MANIFEST_FILE} out of files` });
  }
  return { manifest, files: collected.checked() };
}

/** Directories some zip tools add that are not part of the package. */
const ZIP_NOISE = /(^|\/)(__MACOSX\/|\.DS_Store$)/;

/**
 * A zipped package directory: problem.yaml at the root of the archive, or inside its single
 * top-level folder. Sizes are checked against the entries' declared sizes before anything is
 * inflated, and yauzl holds each entry to its declared size, so a zip bomb is refused unread.
 */
export async function problemPackageFromZip(zip: Buffer, bounds: PackageBounds): Promise<ProblemPackage> {
  const collected = new PackageFiles(bounds);
  try {
    const archive = await fromBufferPromise(zip, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false });
    try {
      for await (const entry of archive.eachEntry()) {
        if (entry.fileName.endsWith('/') || ZIP_NOISE.test(entry.fileName)) continue;
        const path = normalizePackagePath(entry.fileName);
        if (!path) {
          collected.problems.push({ field: packageFileField(entry.fileName), message: `${entry.fileName}: not a relative path inside the package` });
          continue;
        }
        if (collected.admit(path, entry.uncompressedSize)) collected.add(path, await readEntry(await archive.openReadStreamPromise(entry), entry));
      }
    } finally {
      archive.close();
    }
  } catch (error) {
    if (error instanceof InvalidProblemPackageError) throw error;
    throw new InvalidProblemPackageError([`upload: not a readable zip archive (${(error as Error).message})`]);
  }
  return withManifest(withoutTopFolder(collected.checked()));
}

async function readEntry(stream: Readable, entry: Entry): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks, entry.uncompressedSize);
}

/** Zipping a folder (`zip -r a-plus-b.zip a-plus-b`) puts everything under `a-plus-b/`: take it off. */
function withoutTopFolder(files: Map<string, Buffer>): Map<string, Buffer> {
  if (files.has(MANIFEST_FILE)) return files;
  const tops = new Set([...files.keys()].map((path) => path.split('/')[0]));
  const [top] = tops;
  if (tops.size !== 1 || !files.has(`${top}/${MANIFEST_FILE}`)) return files;
  return new Map([...files].map(([path, content]) => [path.slice(top.length + 1), content]));
}
