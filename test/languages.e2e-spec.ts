import { RedisConfig } from '@verdict/config';
import { LanguageCatalog, LanguageDefinition } from '@verdict/languages';
import { RedisKeys } from '@verdict/redis';
import { CatalogFiles, PINNED_IMAGES, catalogFiles, removeCatalogFiles } from './support/language-catalogs';
import { VerdictStack } from './support/verdict-stack';

const BUILT_IN = LanguageCatalog.load();
const builtIn = (id: string): LanguageDefinition => structuredClone(BUILT_IN.get(id)!);

/** What each language's toolchain says it is, as its image really has it. */
const VERSIONS_FROM_IMAGES: Record<string, RegExp> = {
  python: /^Python 3\.11\.\d+$/,
  cpp: /^g\+\+ \(Debian 12\.[^)]+\) 12\.\d+\.\d+$/,
  c: /^gcc \(Debian 12\.[^)]+\) 12\.\d+\.\d+$/,
  go: /^go version go1\.19(\.\d+)? linux\/amd64$/,
  java: /^openjdk 17\.0\.\d+ \d{4}-\d{2}-\d{2}$/,
  javascript: /^v18\.\d+\.\d+$/,
  rust: /^rustc 1\.63\.\d+$/,
};

describe('languages, end to end', () => {
  // No pre-started sandboxes: these workers are about their start-up checks.
  const stack = new VerdictStack({ SANDBOX_POOL_SIZE: '0' });
  const catalogs: CatalogFiles[] = [];
  /** catalogFiles, removed after the suite. */
  const catalogOf = (...args: Parameters<typeof catalogFiles>): CatalogFiles => {
    const files = catalogFiles(...args);
    catalogs.push(files);
    return files;
  };

  beforeAll(() => stack.start({ worker: false }));
  afterAll(async () => {
    await stack.stop();
    for (const catalog of catalogs) removeCatalogFiles(catalog);
  });

  it('lists the catalog\'s versions until a worker has read the real ones from the images', async () => {
    // Not readings of these languages: one of an image the catalog no longer names, one garbled.
    const key = new RedisKeys({ VERDICT_KEY_PREFIX: stack.env.VERDICT_KEY_PREFIX } as RedisConfig).languageVersions;
    const stale = { version: 'openjdk 11.0.2', image: 'verdict/java:11', imageId: `sha256:${'1'.repeat(64)}`, checkedAt: new Date().toISOString(), workerId: 'old' };
    await stack.redis.hset(key, { java: JSON.stringify(stale), rust: '{"version": 163' });

    const { status, body } = await stack.get('/v1/languages');
    expect(status).toBe(200);
    expect(body.map((l: { id: string }) => l.id).sort()).toEqual(['c', 'cpp', 'go', 'java', 'javascript', 'python', 'rust']);
    for (const language of body) {
      expect(language).toMatchObject({ version: BUILT_IN.get(language.id)!.version, versionSource: 'catalog', versionCheck: null });
    }
  });

  it('lists all seven languages with the versions a starting worker read from their images', async () => {
    const started = Date.now();
    await stack.startWorker();
    console.log(`worker with ${BUILT_IN.ids().length} languages ready (self-tests and versions) in ${Date.now() - started} ms`);

    const { body } = await stack.get('/v1/languages');
    const byId = new Map<string, any>(body.map((l: { id: string }) => [l.id, l]));
    expect([...byId.keys()].sort()).toEqual(Object.keys(VERSIONS_FROM_IMAGES).sort());
    for (const [id, version] of Object.entries(VERSIONS_FROM_IMAGES)) {
      const language = byId.get(id);
      const catalog = BUILT_IN.get(id)!;
      expect(language).toMatchObject({ id, name: catalog.name, versionSource: 'image', sourceFile: catalog.sourceFile, runCommand: catalog.run.command });
      expect(language.version).toMatch(version);
      expect(language.versionCheck).toMatchObject({ imageId: PINNED_IMAGES[catalog.image], workerId: stack.env.WORKER_ID });
      expect(Date.now() - Date.parse(language.versionCheck.checkedAt)).toBeLessThan(120000);
    }
    expect(byId.get('java')).toMatchObject({ sourceFile: 'Main.java', compileCommand: expect.arrayContaining(['javac', 'Main.java']) });
    expect(byId.get('javascript').compileCommand).toEqual(['node', '--check', 'main.js']);
    expect(await stack.leftoverContainers()).toEqual([]);
  });

  it('refuses to start a worker whose catalog has a language failing its self-test, naming it and what happened', async () => {
    const python = builtIn('python');
    const languages = [
      python, // sound: must not be named
      { ...builtIn('python'), id: 'python-wrong-echo', selfTest: { ...python.selfTest, source: 'import sys\nsys.stdout.write(sys.stdin.read().upper())\n' } },
      { ...builtIn('python'), id: 'python-no-compile', selfTest: { ...python.selfTest, source: 'def broken(:\n' } },
      { ...builtIn('javascript'), id: 'node-bad-flag', run: { command: ['node', '--no-such-flag', 'main.js'] } },
    ];
    const refusal = stack.startWorker(catalogOf(languages));
    await expect(refusal).rejects.toThrow(/3 of 4 languages failed their start-up check, so this worker will not judge/);
    const message = ((await refusal.catch((error: Error) => error)) as Error).message;
    console.log(message);
    expect(message).toMatch(/- python-wrong-echo \(Python 3, image verdict\/python:latest\): self-test \(echo stdin back\) WA: /);
    expect(message).toMatch(/stdout:\n\s+1 2 3\n\s+VERDICT SELF-TEST/);
    expect(message).toMatch(/- python-no-compile .*: self-test \(echo stdin back\) CE: compilation failed \(exit code 1\)\n\s+compiler output:[\s\S]*SyntaxError/);
    expect(message).toMatch(/- node-bad-flag .*: self-test \(echo stdin back\) RE: exit code 9[\s\S]*stderr:[\s\S]*bad option: --no-such-flag/);
    expect(message).not.toMatch(/- python \(/);
    expect(await stack.leftoverContainers()).toEqual([]);
  });

  it('refuses to start a worker whose language has an image without its toolchain, naming it', async () => {
    // The pinned runtime base: a sound harness, but no JDK in it.
    const base = (await stack.docker.getImage('verdict/runtime-base:latest').inspect()).Id;
    const noJdk = { ...builtIn('java'), id: 'java-without-jdk', image: 'verdict/runtime-base:latest' };
    const refusal = stack.startWorker(catalogOf([builtIn('python'), noJdk], { 'verdict/runtime-base:latest': base }));
    await expect(refusal).rejects.toThrow(/1 of 2 languages failed their start-up check/);
    const message = ((await refusal.catch((error: Error) => error)) as Error).message;
    console.log(message);
    expect(message).toMatch(/- java-without-jdk \(Java 17 \(OpenJDK\), image verdict\/runtime-base:latest\): self-test \(echo stdin back\) CE: /);
    expect(message).toMatch(/javac/);
    expect(message).toMatch(/versionCommand "java --version" /);
    expect(await stack.leftoverContainers()).toEqual([]);
  });
});
