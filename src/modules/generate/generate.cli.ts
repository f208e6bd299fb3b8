// `lantern generate`: the command-line face of the generator, with a progress bar and a summary.
import { SingleBar, Presets } from 'cli-progress'
import type { Runtime } from '../../server.ts'
import { GenerateOptionsError, generateNationalData, parseGenerateOptions, type GenerateProgress } from './generate.service.ts'
import type { GenerateOptions } from './generate.model.ts'

export const GENERATE_HELP = `  generate [--scale F] [--years 2006-2025] [--seed S]
                   write a synthetic England (F of the country, default 1: about 6 million police and
                   council missing episodes over 20 years) calibrated to published figures; not in production`

export async function runGenerate(runtime: Runtime, raw: { scale?: string; years?: string; seed?: string }): Promise<number> {
  if (runtime.config.environment === 'production') {
    console.error('lantern generate writes synthetic people: it refuses to run with NODE_ENV=production.')
    return 2
  }
  let options: GenerateOptions
  try {
    options = parseGenerateOptions(raw)
  } catch (error) {
    if (!(error instanceof GenerateOptionsError)) throw error
    console.error(error.message)
    return 2
  }
  const { database } = runtime
  const url = database.engine === 'postgres' && runtime.config.database.engine === 'postgres' ? runtime.config.database.url : undefined
  console.log(`Generating years ending 31 March ${options.firstYear}-${options.lastYear}, scale ${options.scale}, seed ${options.seed} (${database.engine === 'postgres' ? 'COPY' : 'batched inserts'})`)
  const bar = process.stdout.isTTY ? new SingleBar({ format: '{stage} [{bar}] {value}/{total} | {rows} rows | {duration_formatted}', hideCursor: true }, Presets.shades_classic) : null
  let stage: GenerateProgress['stage'] | null = null
  let lastLogged = 0
  const result = await generateNationalData(database.db, { engine: database.engine, postgresUrl: url }, options, (progress) => {
    const label = progress.stage === 'authorities' ? 'Local authorities and their children' : progress.stage === 'forces' ? 'Police forces' : 'Indexes and foreign keys'
    if (progress.stage !== stage) {
      if (progress.stage === 'indexes' || stage === null) {
        bar?.stop()
        bar?.start(progress.total, 0, { stage: label, rows: progress.rows.toLocaleString('en-GB') })
      }
      stage = progress.stage
    }
    bar?.update(progress.done, { stage: label, rows: progress.rows.toLocaleString('en-GB') })
    if (!bar && (progress.done === progress.total || performance.now() - lastLogged > 5000)) {
      lastLogged = performance.now()
      console.log(`  ${label}: ${progress.done}/${progress.total}, ${progress.rows.toLocaleString('en-GB')} rows`)
    }
  })
  bar?.stop()
  const total = Object.values(result.counts).reduce((sum, n) => sum + n, 0)
  console.log(`Generated ${total.toLocaleString('en-GB')} rows in ${result.seconds.total.toFixed(1)} s (generate and load ${result.seconds.generateAndLoad.toFixed(1)} s, indexes and checks ${result.seconds.indexes.toFixed(1)} s):`)
  for (const [table, count] of Object.entries(result.counts)) console.log(`  ${table.padEnd(24)} ${count.toLocaleString('en-GB').padStart(12)}`)
  console.log('Where the time went:')
  for (const [stage, seconds] of Object.entries(result.seconds.stages)) console.log(`  ${stage.padEnd(40)} ${seconds.toFixed(1).padStart(8)} s`)
  console.log(`Recorded as generation run ${result.runId} in the audit log. Run "lantern stats refresh" to rebuild the statistics.`)
  return 0
}
