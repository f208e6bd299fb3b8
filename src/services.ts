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

/** The composition root: every service, built once from the database and the configuration. */
export function services(db: Kysely<Database>, config: Pick<Config, 'sessionHours'>) {
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
  }
}

export type Services = ReturnType<typeof services>
