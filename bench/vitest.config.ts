import { defineConfig } from 'vitest/config'

// Benchmarks print ratios against a reference measured in the same run; they assert nothing about time.
export default defineConfig({
  test: {
    include: ['bench/**/*.bench.ts'],
    testTimeout: 30 * 60_000,
    hookTimeout: 10 * 60_000,
    fileParallelism: false,
  },
})
