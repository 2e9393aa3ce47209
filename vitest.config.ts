import { defineConfig } from 'vitest/config';

// Integration tests own real kernel resources (loop devices, namespaces, tc):
// run files one at a time so two tests never fight over the 2-core machine.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    fileParallelism: false,
    // Removes the temp directories a test file made, unless they hold a ledger, a mount or a loop's file.
    setupFiles: ['test/support/temp-sweep.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
