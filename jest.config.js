/** Dependencies published as ES modules only, which Jest 29 cannot require as they are (content-disposition: @fastify/static's, under bull-board). */
const ESM_ONLY_PACKAGES = ['@nestjs/terminus', 'content-disposition'];

/** Unit specs live beside the code (libs/, apps/); end-to-end specs in test/ run against real Redis and Docker. */
const shared = {
  testEnvironment: 'node',
  transform: {
    // The driver preludes are imported as their text, as webpack bundles them (webpack.config.js).
    '/libs/function-problems/drivers/[^/]+$': '<rootDir>/jest.asset-source.js',
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // Packages published as ES modules only, as CommonJS for Jest (jest.esm-packages.js).
    [`/node_modules/(${ESM_ONLY_PACKAGES.join('|')})/.+\\.js$`]: '<rootDir>/jest.esm-packages.js',
  },
  // Every other file under node_modules, at any depth (content-disposition sits in @bull-board/fastify's own node_modules), as it is.
  transformIgnorePatterns: [`^(?!.*/node_modules/(${ESM_ONLY_PACKAGES.join('|')})/).*/node_modules/`],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^@verdict/(.*)$': '<rootDir>/libs/$1/src' },
  setupFiles: ['reflect-metadata'],
};

module.exports = {
  // End-to-end tests judge real submissions in real containers; unit tests finish far below this.
  testTimeout: 180000,
  projects: [
    { ...shared, displayName: 'unit', roots: ['<rootDir>/libs', '<rootDir>/apps'], testMatch: ['**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'e2e',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e-spec.ts'],
    },
  ],
};
