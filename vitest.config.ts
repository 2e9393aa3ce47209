import { defineConfig } from 'vitest/config';

// Integration tests own real kernel resources (loop devices, namespaces, tc):
// run files one at a time so two tests never fight over the 2-core machine.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
