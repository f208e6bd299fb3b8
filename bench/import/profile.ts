// bench/import/profile.ts: where an SSDA903 year's import spends its time, phase by phase, summed over
// every authority's return, one return after another (no parallelism, so the phases add up to the wall
// time). Also the Node process's own CPU time, so time waiting on PostgreSQL shows as the difference.
//
//   node bench/import/profile.ts [--children 115000] [--engine pglite] [--reimport]
import { parseArgs } from 'node:util'
import { services as buildServices } from '../../src/services.ts'
import { generateNationalYear, YEAR } from './generate.ts'
import { openBenchDatabase, prepareBench } from './setup.ts'

const { values } = parseArgs({ options: { children: { type: 'string' }, engine: { type: 'string' }, seed: { type: 'string' }, reimport: { type: 'boolean' } } })
const childCount = Number(values.children ?? 115_000)
const engine = values.engine === 'pglite' ? 'pglite' : 'postgres'

// The phases, in the order the import reports them (ssda903.import.ts calls onProgress after each).
const LABELS: Record<string, string> = {
  'read:0': 'agency lookup (before reading)',
  'read:4': 'read CSV into records',
  'match:1': 'host agencies, lock, match children, load their episodes',
  'validate:0': 'rule 576 set-up',
  'validate:1': 'validation (DfE rules)',
  'plan:1': 'plan the writes in Node (match rows to records, geography, ids), conflicts',
  'write:0': 'save the run and its report',
  'write:1': 'insert people',
  'write:2': 'update people, identifiers',
  'write:3': 'care episodes: remove, update',
  'write:4': 'care episodes: insert',
  'write:5': 'missing episodes: insert',
  'write:6': 'missing: continuations, updates',
  'write:7': 'ssda903_return_child',
  'write:8': 'audit events',
  'write:9': 'statistics refresh (analyse)',
  commit: 'commit',
}

async function main() {
  console.log(`bench/import/profile: ${childCount.toLocaleString('en-GB')} children, engine ${engine}, one return at a time`)
  const { handle, drop, authorities } = await openBenchDatabase(engine)
  try {
    const year = generateNationalYear(childCount, Number(values.seed ?? 20261121), authorities)
    const db = handle.db
    const { actorOf } = await prepareBench(db, year.returns.map((item) => item.la))
    const services = buildServices(db, { sessionHours: 12 })
    const passes = values.reimport ? ['import', 're-import'] : ['import']
    for (const pass of passes) {
      const totals = new Map<string, number>()
      const cpuStart = process.cpuUsage()
      const wallStart = performance.now()
      for (const { la, year: one } of year.returns) {
        let last = performance.now()
        const mark = (key: string) => {
          const now = performance.now()
          totals.set(key, (totals.get(key) ?? 0) + now - last)
          last = now
        }
        const result = await services.ssda903.importReturn(actorOf(la), { la, year: YEAR, files: one.files, onProgress: (phase, done) => mark(`${phase}:${done}`) })
        mark('commit')
        if (result.status !== 'imported') throw new Error(`${pass} of ${la} ${result.status}`)
      }
      const wall = performance.now() - wallStart
      const cpu = process.cpuUsage(cpuStart)
      console.log(`\n${pass}: ${(wall / 1000).toFixed(1)} s wall, Node CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`)
      for (const [key, ms] of [...totals].sort((a, b) => b[1] - a[1])) {
        console.log(`  ${(ms / 1000).toFixed(2).padStart(7)} s  ${((100 * ms) / wall).toFixed(1).padStart(5)}%  ${LABELS[key] ?? key}`)
      }
    }
  } finally {
    await drop()
  }
}

await main()
