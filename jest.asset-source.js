/**
 * Jest's counterpart of webpack's `asset/source` rule (webpack.config.js): a module whose export is
 * the file's text (the driver preludes of libs/function-problems/drivers/).
 */
module.exports = {
  process(sourceText) {
    return { code: `module.exports = ${JSON.stringify(sourceText)};` };
  },
};
