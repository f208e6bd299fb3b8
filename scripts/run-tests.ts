// Runs the whole suite with Node's test runner. The engine is PGlite in memory unless
// LANTERN_TEST_DATABASE_URL names a PostgreSQL server (each test file then gets its own database).
import { spawnSync } from 'node:child_process'

const engine = process.env.LANTERN_TEST_DATABASE_URL ? `PostgreSQL (${new URL(process.env.LANTERN_TEST_DATABASE_URL).host})` : 'PGlite (in memory)'
console.log(`Lantern tests on ${engine}`)
const patterns = process.argv.slice(2)
const result = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=2', '--test-timeout=600000', '--test-reporter=spec', ...(patterns.length > 0 ? patterns : ['src/**/*.test.ts', 'bench/**/*.test.ts', 'test/{*.test.ts,!(e2e)/**/*.test.ts}'])],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
)
process.exit(result.status ?? 1)
