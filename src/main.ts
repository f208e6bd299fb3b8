#!/usr/bin/env node
// The `lantern` command: serve | migrate | seed | audit verify | link | search.
import { parseArgs } from 'node:util'
import { SingleBar, Presets } from 'cli-progress'
import { loadConfig, ConfigError } from './config.ts'
import { openRuntime, serve, type Runtime } from './server.ts'
import { DEMO_PASSWORD, seedDemoData, type SeedResult } from './modules/demo/demo.seed.ts'
import { GENERATE_HELP, runGenerate } from './modules/generate/generate.cli.ts'
import { STATS_HELP, runStats } from './modules/statistics/statistics.cli.ts'
import { INTERCHANGE_HELP, runInterchange, UsageError } from './modules/interchange/interchange.cli.ts'
import { LINK_HELP, SEARCH_HELP, linkCommand, searchCommand } from './linkage/link-command.ts'

const HELP = `Usage: lantern <command>

Commands:
  serve            migrate, load reference data, seed demo data on first start, and serve on http://HOST:PORT
  migrate          bring the database to the latest migration and load the reference agencies
  seed [--people N] [--seed S]
                   add the demo agencies' users and N synthetic people (default 300), once
  audit verify     recompute the audit log's hash chains and report any row that was altered or removed
${GENERATE_HELP}
${STATS_HELP}
${INTERCHANGE_HELP}
${LINK_HELP}
${SEARCH_HELP}

Environment: DATABASE_URL (PostgreSQL; without it, PGlite in DATA_DIR, default ./data), PORT (3000),
HOST (127.0.0.1), LOG_LEVEL, NODE_ENV, SESSION_HOURS, SEED_DEMO_DATA (false to start empty).`

async function seed(runtime: Runtime, people: number, seedValue: number): Promise<SeedResult> {
  const bar = process.stdout.isTTY ? new SingleBar({ format: 'Demo data [{bar}] {value}/{total} people', hideCursor: true }, Presets.shades_classic) : null
  let started = false
  const result = await seedDemoData(runtime.database.db, runtime.services, {
    people,
    seed: seedValue,
    onProgress: (done, total) => {
      if (!started) {
        bar?.start(total, 0)
        if (!bar) console.log(`Adding ${total} demo people...`)
        started = true
      }
      bar?.update(done)
    },
  })
  bar?.stop()
  return result
}

function printSignIn(result: SeedResult, url: string) {
  console.log(`\nLantern is running at ${url}`)
  console.log(`API: ${url}/api/v1 (OpenAPI document at ${url}/api/v1/openapi.json)`)
  console.log(`\nSign in (POST ${url}/api/v1/sessions with {"email", "password"}) as any demo user, password "${DEMO_PASSWORD}":`)
  for (const user of result.users) console.log(`  ${user.email.padEnd(38)} ${user.roles.join(', ').padEnd(28)} ${user.agencyName}`)
  console.log('')
}

async function main(argv: string[]): Promise<number> {
  if ((argv[0] === 'import' || argv[0] === 'export') && !argv.includes('--help') && !argv.includes('-h')) {
    let runtime: Runtime | null = null
    try {
      return await runInterchange(async () => (runtime ??= await openRuntime(loadConfig())), argv)
    } catch (error) {
      if (!(error instanceof UsageError)) throw error
      console.error(error.message)
      return 2
    } finally {
      await (runtime as Runtime | null)?.close()
    }
  }
  // Linkage over files needs no database.
  if (argv[0] === 'link') return linkCommand(argv.slice(1))
  if (argv[0] === 'search') return searchCommand(argv.slice(1))
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      people: { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      scale: { type: 'string' },
      years: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      unrounded: { type: 'boolean' },
      rows: { type: 'string' },
      columns: { type: 'string' },
      measure: { type: 'string' },
      definition: { type: 'string' },
      category: { type: 'string' },
      by: { type: 'string' },
      from: { type: 'string' },
    },
  })
  const [command = 'serve', subcommand] = positionals
  if (values.help || command === 'help') {
    console.log(HELP)
    return 0
  }
  const people = values.people === undefined ? 300 : Number(values.people)
  const seedValue = values.seed === undefined || command === 'generate' ? 20261121 : Number(values.seed)
  if (!Number.isInteger(people) || people < 0) throw new ConfigError(`--people must be a whole number, not "${values.people}"`)
  if (!Number.isInteger(seedValue)) throw new ConfigError(`--seed must be a whole number, not "${values.seed}"`)

  const config = loadConfig()
  if (!['serve', 'migrate', 'seed', 'audit', 'generate', 'stats'].includes(command)) {
    console.error(`Unknown command "${command}".\n\n${HELP}`)
    return 2
  }
  if (command === 'audit' && subcommand !== 'verify') {
    console.error('Usage: lantern audit verify')
    return 2
  }
  if (config.database.engine === 'pglite') console.log(`Database: PGlite in ${config.database.dataDir}`)
  else console.log(`Database: PostgreSQL (${new URL(config.database.url).host})`)
  const runtime = await openRuntime(config)

  if (command === 'migrate') {
    console.log('Migrated to the latest version; reference agencies loaded.')
    await runtime.close()
    return 0
  }
  if (command === 'seed') {
    const result = await seed(runtime, people, seedValue)
    console.log(result.created ? `Added ${result.users.length} demo users, ${result.people} people and ${result.episodes} episodes.` : 'Demo data is already there: nothing added.')
    await runtime.close()
    return 0
  }
  if (command === 'generate') {
    const code = await runGenerate(runtime, { scale: values.scale, years: values.years, seed: values.seed })
    await runtime.close()
    return code
  }
  if (command === 'stats') {
    const { scale: _scale, people: _people, seed: _seed, help: _help, ...statsArguments } = values
    const code = await runStats(runtime, subcommand, statsArguments)
    await runtime.close()
    return code
  }
  if (command === 'audit') {
    let last = 0
    const result = await runtime.services.audit.verifyChain((checked) => {
      if (checked - last >= 50_000) {
        last = checked
        console.log(`  ${checked} rows checked`)
      }
    })
    await runtime.close()
    if (result.problems.length === 0) {
      console.log(`Audit log intact: ${result.checked} rows, every hash chain verified.`)
      return 0
    }
    console.error(`Audit log BROKEN: ${result.problems.length} problem(s) in ${result.checked} rows:`)
    for (const problem of result.problems.slice(0, 50)) console.error(`  lane ${problem.lane} position ${problem.position} (seq ${problem.seq}): ${problem.problem}`)
    return 1
  }
  const result = config.seedDemoData ? await seed(runtime, people, seedValue) : null
  await serve(runtime)
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`
  if (result) printSignIn(result, url)
  else console.log(`Lantern is running at ${url}`)
  return -1
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code)
  },
  (error: unknown) => {
    if (error instanceof ConfigError) console.error(`Configuration: ${error.message}`)
    else console.error(error)
    process.exit(1)
  },
)
