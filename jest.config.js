/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false } }] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testTimeout: 60000,
  // Real children on a 2-core machine: two test files at a time keep timings honest.
  maxWorkers: 2,
  // A failing test may leave a stream open; never let that hang the run (each test still
  // asserts that no child is alive and no fd is left open).
  forceExit: true,
};
