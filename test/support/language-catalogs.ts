import { LanguageCatalog, LanguageDefinition } from '@verdict/languages';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The image pins `deploy/images/build.sh` wrote: what a worker checks each runtime image against. */
export const PINNED_IMAGES = JSON.parse(readFileSync(join(__dirname, '..', '..', 'deploy', 'images', 'images.lock.json'), 'utf8')) as Record<string, string>;

/** The settings that point a worker at a catalog file and the image lock it needs (a type, so it spreads into an env). */
export type CatalogFiles = { LANGUAGES_FILE: string; SANDBOX_IMAGE_LOCK_FILE: string };

/**
 * A catalog of `languages` and an image lock of the built pins plus `extraPins`, in a temporary
 * directory of their own (`removeCatalogFiles` deletes it). A worker started with them self-tests and
 * pre-starts those languages only: its start-up waits on no compiler a test does not use, and must fit
 * no other language's self-test into a test's own limits.
 */
export function catalogFiles(languages: LanguageDefinition[], extraPins: Record<string, string> = {}): CatalogFiles {
  const dir = mkdtempSync(join(tmpdir(), 'verdict-catalog-'));
  writeFileSync(join(dir, 'languages.json'), JSON.stringify(languages));
  writeFileSync(join(dir, 'images.lock.json'), JSON.stringify({ ...PINNED_IMAGES, ...extraPins }));
  return { LANGUAGES_FILE: join(dir, 'languages.json'), SANDBOX_IMAGE_LOCK_FILE: join(dir, 'images.lock.json') };
}

/** `catalogFiles` of these languages of the built-in catalog. */
export function builtInCatalogFiles(ids: string[]): CatalogFiles {
  const builtIn = LanguageCatalog.load();
  return catalogFiles(
    ids.map((id) => {
      const language = builtIn.get(id);
      if (!language) throw new Error(`the built-in catalog has no language "${id}"`);
      return language;
    }),
  );
}

export function removeCatalogFiles(files: CatalogFiles): void {
  rmSync(dirname(files.LANGUAGES_FILE), { recursive: true, force: true });
}
