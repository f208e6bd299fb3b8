import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import multipart from '@fastify/multipart'
import { requireActor } from '../../platform/auth.ts'
import { IdParams, PageOf, problemResponses } from '../../platform/openapi.ts'
import { ValidationError } from '../../lib/errors.ts'
import type { Services } from '../../services.ts'
import { DEFAULT_MAX_FILE_BYTES, type IncomingFile } from './files.ts'
import { reportCsv } from './report.ts'
import type { ImportResult } from './import-run.service.ts'
import { ExportResponse, ImportListQuery, ImportReportResponse, ImportRunResponse, PfifExportInput, PfifExportResponse, Ssda903ExportInput } from './interchange.schemas.ts'

/** The files and text fields of a multipart/form-data upload. */
async function readUpload(request: FastifyRequest): Promise<{ files: IncomingFile[]; fields: Record<string, string> }> {
  if (!request.isMultipart()) {
    throw new ValidationError([{ field: 'files', message: 'Send the files as multipart/form-data, one part per file' }], 'The upload must be multipart/form-data')
  }
  const files: IncomingFile[] = []
  const fields: Record<string, string> = {}
  for await (const part of request.parts()) {
    if (part.type === 'file') files.push({ name: part.filename || part.fieldname, bytes: await part.toBuffer() })
    else fields[part.fieldname] = String(part.value)
  }
  return { files, fields }
}

const withoutIssues = ({ issues: _issues, ...run }: ImportResult) => run

export function interchangeRoutes(services: Pick<Services, 'imports' | 'ssda903' | 'ssda903Export' | 'nrmImport' | 'policeImport' | 'pfif'>) {
  return async (plain: FastifyInstance) => {
    await plain.register(multipart, { limits: { fileSize: DEFAULT_MAX_FILE_BYTES, files: 20, fields: 20 } })
    const app = plain.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['imports']

    app.post('/imports/ssda903', {
      schema: {
        tags,
        summary: "Import a local authority's SSDA903 return for a collection year",
        description:
          'multipart/form-data: `la` (the authority code, e.g. E10000016), `year` (the collection year, named by the year it ends), ' +
          '`acceptValid` (true to import the children with no problem and leave out the others), and the files: the CSV tables ' +
          '(recognised by their columns) or one XML return. The answer is the run; its report is at /imports/{id}/report ' +
          '(JSON) and /imports/{id}/report.csv. A run with status `refused` wrote nothing.',
        consumes: ['multipart/form-data'],
        response: { 201: ImportRunResponse, ...problemResponses },
      },
    }, async (request, reply) => {
      const actor = requireActor(request)
      const { files, fields } = await readUpload(request)
      const errors = []
      if (!fields.la) errors.push({ field: 'la', message: 'is required: the local authority code, e.g. E10000016' })
      if (!fields.year || !/^\d{4}$/.test(fields.year)) errors.push({ field: 'year', message: 'is required: the collection year, e.g. 2025 for April 2024 to March 2025' })
      if (errors.length > 0) throw new ValidationError(errors)
      const result = await services.ssda903.importReturn(actor, {
        la: fields.la ?? '',
        year: Number(fields.year),
        files,
        acceptValid: fields.acceptValid === 'true',
      })
      return reply.code(201).header('location', `/api/v1/imports/${result.id}`).send(withoutIssues(result))
    })

    for (const [path, summary, run] of [
      ['/imports/nrm', 'Import NRM referrals (the documented CSV layout) as their first responder or competent authority', (actor: Parameters<typeof services.nrmImport.importReferrals>[0], files: IncomingFile[], acceptValid: boolean) => services.nrmImport.importReferrals(actor, { files, acceptValid })],
      ['/imports/police', "Import a force's missing-person incidents (the documented CSV layout)", (actor: Parameters<typeof services.policeImport.importIncidents>[0], files: IncomingFile[], acceptValid: boolean) => services.policeImport.importIncidents(actor, { files, acceptValid })],
      ['/imports/pfif', 'Import PFIF 1.4 persons and notes from a tracing service into your agency\'s records', (actor: Parameters<typeof services.pfif.importDocument>[0], files: IncomingFile[], acceptValid: boolean) => services.pfif.importDocument(actor, { files, acceptValid })],
    ] as const) {
      app.post(path, {
        schema: {
          tags,
          summary,
          description: 'multipart/form-data: one CSV file, and `acceptValid` (true to import the good rows and leave out the others). The columns are documented in the interchange module README.',
          consumes: ['multipart/form-data'],
          response: { 201: ImportRunResponse, ...problemResponses },
        },
      }, async (request, reply) => {
        const actor = requireActor(request)
        const { files, fields } = await readUpload(request)
        const result = await run(actor, files, fields.acceptValid === 'true')
        return reply.code(201).header('location', `/api/v1/imports/${result.id}`).send(withoutIssues(result))
      })
    }

    app.post('/exports/pfif', {
      schema: {
        tags: ['exports'],
        summary: "Disclose your agency's people as PFIF 1.4 persons and notes to a tracing service",
        description: 'Only your own agency\'s records; a person whose location is restricted goes without where they were. Send the purpose in the Lantern-Purpose header. Every export is recorded as a disclosure to the recipient and audited per person.',
        body: PfifExportInput,
        response: { 200: PfifExportResponse, ...problemResponses },
      },
    }, async (request) => {
      const body = request.body
      return services.pfif.exportPeople(requireActor(request), { people: body.people ?? 'open', recipient: body.recipient, domain: body.domain })
    })

    app.post('/exports/ssda903', {
      schema: {
        tags: ['exports'],
        summary: "Export your authority's SSDA903 Header, Episodes and Missing tables for a collection year",
        description: "The files in DfE's CSV layout, checked with DfE's rules first: when a rule fails, `disclosureId` is null, `files` is empty and `issues` says why. Every export is recorded as a disclosure to the recipient.",
        body: Ssda903ExportInput,
        response: { 200: ExportResponse, ...problemResponses },
      },
    }, async (request) => services.ssda903Export.exportReturn(requireActor(request), request.body))

    app.get('/imports', {
      schema: { tags, summary: "Your agency's imports, newest first", querystring: ImportListQuery, response: { 200: PageOf(ImportRunResponse), ...problemResponses } },
    }, async (request) => services.imports.list(requireActor(request), request.query))

    app.get('/imports/:id', {
      schema: { tags, summary: 'One import', params: IdParams, response: { 200: ImportRunResponse, ...problemResponses } },
    }, async (request) => services.imports.get(requireActor(request), request.params.id))

    app.get('/imports/:id/report', {
      schema: { tags, summary: "An import's report: every problem, with rule, message, table, line and field", params: IdParams, response: { 200: ImportReportResponse, ...problemResponses } },
    }, async (request) => services.imports.report(requireActor(request), request.params.id))

    app.get('/imports/:id/report.csv', {
      schema: { tags, summary: "An import's report as CSV: rule,message,table,line,field", params: IdParams, produces: ['text/csv'] },
    }, async (request, reply) => {
      const { issues } = await services.imports.report(requireActor(request), request.params.id)
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="import-${request.params.id}-report.csv"`)
        .send(reportCsv(issues))
    })
  }
}
