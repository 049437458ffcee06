import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZipFile } from 'yazl';
import { InvalidProblemPackageError } from './problem-errors';
import { normalizePackagePath, parseManifestYaml, problemPackageFromJson, problemPackageFromZip, readProblemDirectory } from './problem-package';
import { BOUNDS } from './problem-fixtures.spec-support';

const MANIFEST = 'title: A + B\ntests:\n  - { glob: "tests/*.in" }\n';

/** A zip of the given files, as a zip tool would make it. */
async function zipOf(files: Record<string, string | Buffer>): Promise<Buffer> {
  const zip = new ZipFile();
  for (const [path, content] of Object.entries(files)) zip.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content), path);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function refusal(promise: Promise<unknown> | (() => unknown)): Promise<string[]> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    if (error instanceof InvalidProblemPackageError) return error.problems.map((p) => p.message);
    throw error;
  }
  throw new Error('the package was accepted');
}

const text = (files: ReadonlyMap<string, Buffer>) => Object.fromEntries([...files].map(([path, content]) => [path, content.toString()]));

describe('problem packages', () => {
  describe('as JSON', () => {
    it('is the manifest with a files map; base64 for bytes', () => {
      const pkg = problemPackageFromJson({ title: 'A + B', tests: [], files: { 'tests/1.in': '1 2\n', './tests/1.out': { base64: Buffer.from('3\n').toString('base64') } } }, BOUNDS);
      expect(pkg.manifest).toEqual({ title: 'A + B', tests: [] });
      expect(text(pkg.files)).toEqual({ 'tests/1.in': '1 2\n', 'tests/1.out': '3\n' });
    });

    it('names files that are not text or base64, and paths that leave the package', async () => {
      expect(await refusal(() => problemPackageFromJson({ title: 't', files: { 'a.in': 5, '../b.in': '', 'c.in': { base64: 'x', other: 1 } } }, BOUNDS))).toEqual([
        'files.a.in: must be a string (UTF-8 text) or {"base64": "..."}',
        'files.../b.in: not a relative path inside the package',
        'files.c.in: must be a string (UTF-8 text) or {"base64": "..."}',
      ]);
    });

    it('is an object', async () => {
      expect(await refusal(() => problemPackageFromJson([1], BOUNDS))).toEqual(['body: must be a JSON object (the problem.yaml fields and a files map)']);
      expect(await refusal(() => problemPackageFromJson({ title: 't', files: ['a'] }, BOUNDS))).toEqual(['files: must be a map of path to content']);
    });

    it('holds files to the bounds', async () => {
      const files = { 'a.in': 'x'.repeat(600), 'b.in': 'x'.repeat(600), 'c.in': '' };
      expect(await refusal(() => problemPackageFromJson({ files }, { maxFileBytes: 500, maxTotalBytes: 1000, maxFiles: 2 }))).toEqual([
        'a.in: 600 bytes is larger than the 500 bytes a file may be (PROBLEM_MAX_FILE_MB)',
        'b.in: 600 bytes is larger than the 500 bytes a file may be (PROBLEM_MAX_FILE_MB)',
        'package: more than 2 files (PROBLEM_MAX_FILES)',
        'package: 2 KiB of files, more than the 1000 bytes allowed (PROBLEM_MAX_PACKAGE_MB)',
      ]);
    });
  });

  describe('as a zip', () => {
    it('reads the files, problem.yaml parsed', async () => {
      const pkg = await problemPackageFromZip(await zipOf({ 'problem.yaml': MANIFEST, 'tests/1.in': '1 2\n', 'tests/1.out': '3\n' }), BOUNDS);
      expect(pkg.manifest).toEqual({ title: 'A + B', tests: [{ glob: 'tests/*.in' }] });
      expect(text(pkg.files)).toEqual({ 'problem.yaml': MANIFEST, 'tests/1.in': '1 2\n', 'tests/1.out': '3\n' });
    });

    it('takes off the folder a zipped directory is in, and what zip tools add', async () => {
      const pkg = await problemPackageFromZip(await zipOf({ 'a-plus-b/problem.yaml': MANIFEST, 'a-plus-b/tests/1.in': '', '__MACOSX/a-plus-b/._x': '', 'a-plus-b/.DS_Store': '' }), BOUNDS);
      expect([...pkg.files.keys()]).toEqual(['problem.yaml', 'tests/1.in']);
    });

    it('keeps big inputs intact', async () => {
      const big = Buffer.alloc(3 * 1024 * 1024, '7 ');
      const pkg = await problemPackageFromZip(await zipOf({ 'problem.yaml': MANIFEST, 'tests/1.in': big }), { ...BOUNDS, maxFileBytes: 4 * 1024 * 1024 });
      expect(pkg.files.get('tests/1.in')!.equals(big)).toBe(true);
    });

    it('refuses a zip bomb by its declared sizes, before inflating it', async () => {
      const bomb = await zipOf({ 'problem.yaml': MANIFEST, 'tests/1.in': Buffer.alloc(2 * 1024 * 1024) });
      expect(bomb.length).toBeLessThan(10 * 1024);
      expect(await refusal(problemPackageFromZip(bomb, BOUNDS))).toEqual(['tests/1.in: 2 MB is larger than the 1 MB a file may be (PROBLEM_MAX_FILE_MB)']);
    });

    it('refuses entries that leave the package', async () => {
      // yazl will not write such a name: write a harmless one of the same length and patch it.
      const zip = await zipOf({ 'problem.yaml': MANIFEST, 'aa/evil': 'x' });
      const patched = Buffer.from(zip.toString('latin1').replaceAll('aa/evil', '../evil'.slice(0, 7)), 'latin1');
      expect(await refusal(problemPackageFromZip(patched, BOUNDS))).toEqual([expect.stringMatching(/^(upload: not a readable zip archive \(invalid relative path|\.\.\/evil: not a relative path)/)]);
    });

    it('names a file that is not a zip', async () => {
      expect(await refusal(problemPackageFromZip(Buffer.from('definitely not a zip'), BOUNDS))).toEqual([expect.stringMatching(/^upload: not a readable zip archive \(/)]);
    });

    it('needs problem.yaml', async () => {
      expect(await refusal(problemPackageFromZip(await zipOf({ 'tests/1.in': '' }), BOUNDS))).toEqual(['problem.yaml: missing (the package root must hold it)']);
    });
  });

  describe('as a directory', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'verdict-package-'));
    });
    afterEach(() => rm(dir, { recursive: true, force: true }));

    it('reads every regular file; symlinks are not followed', async () => {
      await mkdir(join(dir, 'tests/deep'), { recursive: true });
      await writeFile(join(dir, 'problem.yaml'), MANIFEST);
      await writeFile(join(dir, 'tests/deep/1.in'), '1');
      await symlink('/etc/passwd', join(dir, 'tests/2.in'));
      const pkg = await readProblemDirectory(dir, BOUNDS);
      expect([...pkg.files.keys()].sort()).toEqual(['problem.yaml', 'tests/deep/1.in']);
    });
  });

  describe('problem.yaml', () => {
    it('reports YAML errors with their line and column', async () => {
      expect(await refusal(() => parseManifestYaml('title: a\ntitle: b\n'))).toEqual(['problem.yaml: Map keys must be unique at line 2, column 1']);
      expect((await refusal(() => parseManifestYaml('tests: [1, 2\n')))[0]).toMatch(/^problem\.yaml: .* at line \d+, column \d+$/);
    });

    it('must be UTF-8', async () => {
      expect(await refusal(() => parseManifestYaml(Buffer.from([0x74, 0xff, 0xfe])))).toEqual(['problem.yaml: is not UTF-8 text']);
    });

    it('refuses alias bombs', async () => {
      const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`)].join('\n');
      expect((await refusal(() => parseManifestYaml(bomb)))[0]).toMatch(/^problem\.yaml: .*alias/i);
    });
  });

  it('normalizes paths and refuses those that leave the package', () => {
    expect(normalizePackagePath('./tests//1.in')).toBe('tests/1.in');
    for (const bad of ['/etc/passwd', '../x', 'a/../../x', 'a\\b', '.', 'dir/']) expect(normalizePackagePath(bad)).toBeNull();
  });
});
