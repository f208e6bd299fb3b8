import path from 'node:path'
import type { DatabaseLocation } from './db/open.ts'

export interface Config {
  readonly environment: 'development' | 'test' | 'production'
  readonly host: string
  readonly port: number
  readonly database: DatabaseLocation
  readonly logLevel: string
  /** How long a signed-in session lasts without activity ending it. */
  readonly sessionHours: number
  /** Seed demo users and people on first start (never in production). */
  readonly seedDemoData: boolean
}

export class ConfigError extends Error {}

/** Reads the environment once, validates it, and returns a frozen object. Fails fast on bad values. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const environment = parseEnvironment(env.NODE_ENV)
  const port = parseInteger('PORT', env.PORT, 3000)
  const sessionHours = parseInteger('SESSION_HOURS', env.SESSION_HOURS, 12)
  const database: DatabaseLocation = env.DATABASE_URL
    ? { engine: 'postgres', url: env.DATABASE_URL }
    : { engine: 'pglite', dataDir: path.resolve(env.DATA_DIR ?? './data') }
  if (environment === 'production' && database.engine === 'pglite') {
    throw new ConfigError('DATABASE_URL is required in production: PGlite is for development and demos')
  }
  return Object.freeze({
    environment,
    host: env.HOST ?? '127.0.0.1',
    port,
    database,
    logLevel: env.LOG_LEVEL ?? (environment === 'test' ? 'silent' : 'info'),
    sessionHours,
    seedDemoData: environment !== 'production' && env.SEED_DEMO_DATA !== 'false',
  })
}

function parseEnvironment(value: string | undefined): Config['environment'] {
  if (value === undefined || value === '' || value === 'development') return 'development'
  if (value === 'test' || value === 'production') return value
  throw new ConfigError(`NODE_ENV must be development, test or production, not "${value}"`)
}

function parseInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed < 0) throw new ConfigError(`${name} must be a whole number, not "${value}"`)
  return parsed
}
