import type { Kysely } from 'kysely'
import type { Database } from './db/database.ts'
import type { Config } from './config.ts'
import { createAuditService } from './modules/audit/audit.service.ts'
import { createUsersService } from './modules/users/users.service.ts'
import { createPeopleService } from './modules/people/people.service.ts'
import { createAgenciesService } from './modules/agencies/agencies.service.ts'
import { createCareService } from './modules/care/care.service.ts'
import { createTraffickingService } from './modules/trafficking/trafficking.service.ts'
import { createProtocolsService } from './modules/protocols/protocols.service.ts'
import { createEpisodesService } from './modules/episodes/episodes.service.ts'
import { createInterviewsService } from './modules/interviews/interviews.service.ts'
import { createRegisterService } from './modules/register/register.service.ts'
import { createEventsService } from './modules/events/events.service.ts'
import { createImportRunsService } from './modules/interchange/import-run.service.ts'
import { createSsda903ImportService } from './modules/interchange/ssda903/ssda903.import.ts'
import { createStatisticsService } from './modules/statistics/statistics.service.ts'
import { createSsda903ExportService } from './modules/interchange/ssda903/ssda903.export.ts'
import { createNrmImportService } from './modules/interchange/nrm/nrm.import.ts'
import { createPoliceImportService } from './modules/interchange/police/police.import.ts'
import { createPfifService } from './modules/interchange/pfif/pfif.service.ts'
import { createAlertsService } from './modules/alerts/alerts.service.ts'
import { createDeadlinesService } from './modules/deadlines/deadlines.service.ts'
import { createWebhooksService } from './modules/events/webhooks.service.ts'
import { systemClock, type Clock } from './lib/clock.ts'
import { createIdentityService } from './modules/identity/identity.service.ts'
import { createNotificationsService } from './modules/notifications/notifications.service.ts'

/** The composition root: every service, built once from the database and the configuration. */
export function services(
  db: Kysely<Database>,
  config: Pick<Config, 'sessionHours'> & Partial<Pick<Config, 'alertEscalationMinutes' | 'environment'>>,
  clock: Clock = systemClock,
) {
  return {
    audit: createAuditService(db),
    users: createUsersService(db, { sessionHours: config.sessionHours }),
    people: createPeopleService(db),
    agencies: createAgenciesService(db),
    care: createCareService(db),
    trafficking: createTraffickingService(db),
    protocols: createProtocolsService(db),
    episodes: createEpisodesService(db),
    interviews: createInterviewsService(db),
    register: createRegisterService(db),
    events: createEventsService(db),
    imports: createImportRunsService(db),
    ssda903: createSsda903ImportService(db),
    statistics: createStatisticsService(db),
    ssda903Export: createSsda903ExportService(db),
    nrmImport: createNrmImportService(db),
    policeImport: createPoliceImportService(db),
    pfif: createPfifService(db),
    alerts: createAlertsService(db, clock, { escalateAfterMinutes: config.alertEscalationMinutes ?? 30 }),
    deadlines: createDeadlinesService(db, clock),
    identity: createIdentityService(db),
    // Plain http:// partner URLs only outside production (tests and demos post to loopback).
    webhooks: createWebhooksService(db, clock, { allowHttp: config.environment !== 'production' }),
    notifications: createNotificationsService(db),
  }
}

export type Services = ReturnType<typeof services>
