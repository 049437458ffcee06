const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const ts = require('typescript');

/** Jest keys its cache of transformed files on their text: this transformer's own text and TypeScript's version go in too. */
const TRANSFORMER = createHash('sha256').update(readFileSync(__filename)).update(ts.version).digest('hex');

/**
 * Jest 29 loads modules as CommonJS and cannot require an ES module, which Node 20.19+ can: the
 * packages published as ES modules only (`"type": "module"`, @nestjs/terminus 12) are turned into
 * CommonJS here (jest.config.js: transformIgnorePatterns lets them through), as Node's own
 * require(esm) serves them to the built apps. `import.meta` has no CommonJS spelling in TypeScript's
 * output, so its `url`, `dirname` and `filename` become the module's own first.
 */
module.exports = {
  getCacheKey(sourceText, sourcePath) {
    return createHash('sha256').update(TRANSFORMER).update(sourcePath).update(sourceText).digest('hex');
  },
  process(sourceText, sourcePath) {
    const source = sourceText
      .replace(/\bimport\.meta\.url\b/g, 'require("node:url").pathToFileURL(__filename).href')
      .replace(/\bimport\.meta\.dirname\b/g, '__dirname')
      .replace(/\bimport\.meta\.filename\b/g, '__filename');
    const { outputText, sourceMapText } = ts.transpileModule(source, {
      fileName: sourcePath,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, allowJs: true, sourceMap: true },
    });
    return { code: outputText, map: sourceMapText };
  },
};
