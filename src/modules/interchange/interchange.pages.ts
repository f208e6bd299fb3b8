import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import multipart from '@fastify/multipart'
import type { Services } from '../../services.ts'
import type { WebPages } from '../../web/web.ts'
import { translator } from '../../web/i18n.ts'
import { pageActor } from '../../web/session.ts'
import { FormProblems, fromServiceErrors } from '../../web/forms.ts'
import { can } from '../access/roles.ts'
import { isUuid } from '../../lib/ids.ts'
import { NotFoundError, ValidationError } from '../../lib/errors.ts'
import { DEFAULT_MAX_FILE_BYTES, type IncomingFile } from './files.ts'
import { reportCsv } from './report.ts'
import { IMPORT_FORMATS, type ImportFormat, type ImportResult } from './import-run.service.ts'
import './interchange.messages.ts'

// The upload page and the report page: the same imports as `lantern import` and POST /api/v1/imports, for a
// caseworker with a file. The report lists every problem as rule, message, table, line and field.

declare module 'fastify' {
  interface FastifyRequest {
    uploads: IncomingFile[]
  }
}

const SHOWN_ISSUES = 500
const mayImport = (actor: Parameters<typeof can.workCases>[0]) => can.workCases(actor) || can.decideNrmReferrals(actor)

function routes(services: Services): FastifyPluginAsync {
  return async (app) => {
    // Uploads are multipart: fields as values (so the CSRF check finds `_csrf`), files collected with their names.
    app.decorateRequest('uploads', null as unknown as IncomingFile[])
    app.addHook('onRequest', async (request) => {
      request.uploads = []
    })
    await app.register(multipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: DEFAULT_MAX_FILE_BYTES, files: 20, fields: 20 },
      async onFile(this: FastifyRequest, part) {
        const bytes = await part.toBuffer()
        if (part.filename) this.uploads.push({ name: part.filename, bytes })
        ;(part as unknown as { value: unknown }).value = ''
      },
    })

    app.get('/imports', async (request, reply) => {
      const actor = pageActor(request)
      const t = translator(request.language)
      const page = await services.imports.list(actor, { pageSize: 50 })
      return reply.view('modules/interchange/views/imports.njk', { title: t('imports.title'), runs: page.items, mayImport: mayImport(actor) })
    })

    const newForm = (request: FastifyRequest, values: Record<string, unknown>, errors: unknown, status = 200) => {
      const t = translator(request.language)
      return { title: t('imports.newTitle'), formats: IMPORT_FORMATS, values, errors, status }
    }

    app.get('/imports/new', async (request, reply) => {
      const actor = pageActor(request)
      const { status, ...context } = newForm(request, { format: actor.agencyKind === 'local_authority' ? 'ssda903' : actor.agencyKind === 'police_force' ? 'police' : 'nrm' }, null)
      return reply.view('modules/interchange/views/new.njk', context, status)
    })

    app.post('/imports/new', async (request, reply) => {
      const actor = pageActor(request)
      const t = translator(request.language)
      const body = (request.body ?? {}) as Record<string, unknown>
      const value = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '')
      const format = value('format') as ImportFormat
      const values = { format, la: value('la'), year: value('year'), acceptValid: value('acceptValid') === 'true' }
      const problems = new FormProblems()
      if (!IMPORT_FORMATS.includes(format)) problems.add('format', t('imports.formatRequired'))
      if (format === 'ssda903' && values.la === '') problems.add('la', t('imports.laRequired'))
      if (format === 'ssda903' && !/^\d{4}$/.test(values.year)) problems.add('year', t('imports.yearRequired'))
      if (request.uploads.length === 0) problems.add('files', t('imports.filesRequired'))
      if (problems.empty) {
        try {
          const files = request.uploads
          const acceptValid = values.acceptValid
          let result: ImportResult
          if (format === 'ssda903') result = await services.ssda903.importReturn(actor, { la: values.la, year: Number(values.year), files, acceptValid })
          else if (format === 'nrm') result = await services.nrmImport.importReferrals(actor, { files, acceptValid })
          else if (format === 'police') result = await services.policeImport.importIncidents(actor, { files, acceptValid })
          else result = await services.pfif.importDocument(actor, { files, acceptValid })
          return reply.redirect(`/imports/${result.id}`, 303)
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error
          for (const mapped of fromServiceErrors(error.errors, { fallbackField: 'files' }).errors) problems.add(mapped.field, mapped.message, mapped.anchor)
        }
      }
      const { status, ...context } = newForm(request, values, problems.toFormErrors(), 400)
      return reply.view('modules/interchange/views/new.njk', context, status)
    })

    app.get('/imports/:id', async (request, reply) => {
      const { id } = request.params as { id: string }
      if (!isUuid(id)) throw new NotFoundError('Import')
      const t = translator(request.language)
      const { run, issues } = await services.imports.report(pageActor(request), id)
      const summary = run.summary as Record<string, unknown>
      const counts = Object.entries(summary).filter(([key, item]) => key !== 'leftOut' && key !== 'skippedTables' && (typeof item === 'number' || (typeof item === 'object' && item !== null)))
      return reply.view('modules/interchange/views/report.njk', {
        title: t('imports.reportTitle'),
        run,
        counts: counts.map(([key, item]) => ({ key, value: typeof item === 'object' ? Object.entries(item as Record<string, unknown>).map(([name, n]) => `${name} ${String(n)}`).join(', ') : String(item) })),
        leftOut: (summary.leftOut as string[] | undefined) ?? [],
        skipped: (summary.skippedTables as { file: string; table: string; rows: number }[] | undefined) ?? [],
        issues: issues.slice(0, SHOWN_ISSUES),
        issueCount: issues.length,
        shown: Math.min(SHOWN_ISSUES, issues.length),
      })
    })

    app.get('/imports/:id/report.csv', async (request, reply) => {
      const { id } = request.params as { id: string }
      if (!isUuid(id)) throw new NotFoundError('Import')
      const { issues } = await services.imports.report(pageActor(request), id)
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="import-${id}-report.csv"`).send(reportCsv(issues))
    })
  }
}

export const interchangePages: WebPages = {
  routes,
  navigation: [{ key: 'nav.imports', href: '/imports', show: (actor) => mayImport(actor) }],
}
