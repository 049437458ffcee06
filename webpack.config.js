const path = require('node:path');

/**
 * `nest build` (nest-cli.json: webpackConfigPath) on top of Nest's own webpack defaults: the driver
 * preludes of function problems (libs/function-problems/drivers/, real C++, Go, Java, JavaScript
 * and Python sources) are bundled as their text (asset/source), so dist/apps/<app>/main.js needs no
 * file beside it. Jest does the same with jest.asset-source.js.
 */
module.exports = (defaults) => ({
  ...defaults,
  module: {
    ...defaults.module,
    rules: [...defaults.module.rules, { include: path.resolve(__dirname, 'libs/function-problems/drivers'), type: 'asset/source' }],
  },
});
