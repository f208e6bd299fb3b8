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
  /** Real time (issue 7): where links in emails point, the SMTP relay, and when an unacknowledged alert escalates. */
  readonly publicUrl: string
  readonly smtp: SmtpConfig | null
  readonly alertEscalationMinutes: number
}

export interface SmtpConfig {
  /** smtp://user:password@host:port (STARTTLS when offered) or smtps://... (TLS from the start). */
  readonly url: string
  readonly from: string
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
  const host = env.HOST ?? '127.0.0.1'
  const publicUrl = parseUrl('PUBLIC_URL', env.PUBLIC_URL, ['http:', 'https:']) ?? `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`
  const smtpUrl = parseUrl('SMTP_URL', env.SMTP_URL, ['smtp:', 'smtps:'])
  if (smtpUrl && !env.MAIL_FROM) throw new ConfigError('MAIL_FROM is required with SMTP_URL: the address emails are sent from')
  if (environment === 'production' && !env.PUBLIC_URL) throw new ConfigError('PUBLIC_URL is required in production: links in emails point to it')
  return Object.freeze({
    environment,
    host,
    port,
    database,
    logLevel: env.LOG_LEVEL ?? (environment === 'test' ? 'silent' : 'info'),
    sessionHours,
    seedDemoData: environment !== 'production' && env.SEED_DEMO_DATA !== 'false',
    publicUrl: publicUrl.replace(/\/$/, ''),
    smtp: smtpUrl ? Object.freeze({ url: smtpUrl, from: env.MAIL_FROM ?? '' }) : null,
    alertEscalationMinutes: parseInteger('ALERT_ESCALATION_MINUTES', env.ALERT_ESCALATION_MINUTES, 30),
  })
}

function parseEnvironment(value: string | undefined): Config['environment'] {
  if (value === undefined || value === '' || value === 'development') return 'development'
  if (value === 'test' || value === 'production') return value
  throw new ConfigError(`NODE_ENV must be development, test or production, not "${value}"`)
}

function parseUrl(name: string, value: string | undefined, protocols: string[]): string | null {
  if (value === undefined || value === '') return null
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new ConfigError(`${name} must be a URL, not "${value}"`)
  }
  if (!protocols.includes(url.protocol)) throw new ConfigError(`${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}`)
  return value
}

function parseInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed < 0) throw new ConfigError(`${name} must be a whole number, not "${value}"`)
  return parsed
}
