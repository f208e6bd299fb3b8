import { Type } from '@sinclair/typebox'
import { InstantOut, Nullable, OneOf, Uuid } from '../../lib/schema.ts'
import { PageQuery } from '../../platform/openapi.ts'
import { IMPORT_FORMATS, RUN_STATUSES } from './import-run.service.ts'

export const IssueResponse = Type.Object({
  rule: Type.String({ description: "DfE's rule code for SSDA903, or Lantern's: FILE, REQUIRED, FORMAT, LANTERN" }),
  message: Type.String({ description: "DfE's message for its rules, word for word" }),
  table: Nullable(Type.String({ description: 'The table (SSDA903) or file the problem is in' })),
  line: Nullable(Type.Integer({ description: 'The line of the file, counting the column names as line 1' })),
  field: Nullable(Type.String()),
  key: Nullable(Type.String({ description: "The record it belongs to: the child's CHILD, a referral or incident reference" })),
})

const FileResponse = Type.Object({
  name: Type.String(),
  table: Nullable(Type.String()),
  rows: Type.Integer(),
  bytes: Type.Integer(),
  sha256: Type.String(),
})

export const ImportRunResponse = Type.Object({
  id: Uuid(),
  agencyId: Uuid(),
  format: OneOf(IMPORT_FORMATS),
  collectionYear: Nullable(Type.Integer()),
  acceptValid: Type.Boolean(),
  status: OneOf(RUN_STATUSES, { description: 'refused: nothing was written; imported_in_part: the records with problems were left out (summary.leftOut)' }),
  files: Type.Array(FileResponse),
  summary: Type.Record(Type.String(), Type.Unknown()),
  issueCount: Type.Integer(),
  startedAt: InstantOut(),
  finishedAt: InstantOut(),
})

export const ImportReportResponse = Type.Object({ run: ImportRunResponse, issues: Type.Array(IssueResponse) })

export const ImportListQuery = Type.Object(PageQuery, { additionalProperties: false })

export const Ssda903ExportInput = Type.Object(
  {
    la: Type.String({ minLength: 1, description: 'The local authority code, e.g. E10000016' }),
    year: Type.Integer({ description: 'The collection year, named by the year it ends' }),
    recipient: Type.String({ minLength: 1, maxLength: 200, description: 'Who receives the files, e.g. Department for Education' }),
  },
  { additionalProperties: false },
)

export const ExportResponse = Type.Object({
  disclosureId: Nullable(Uuid()),
  files: Type.Array(Type.Object({ name: Type.String(), table: Type.String(), text: Type.String() })),
  issues: Type.Array(IssueResponse),
  summary: Type.Record(Type.String(), Type.Integer()),
})

export const PfifExportInput = Type.Object(
  {
    people: Type.Optional(Type.Array(Uuid(), { maxItems: 10_000, description: 'The people to disclose; without it, every person with an open missing episode of your agency' })),
    recipient: Type.String({ minLength: 1, maxLength: 200, description: 'The tracing service receiving the records' }),
    domain: Type.String({ minLength: 3, maxLength: 200, description: 'The domain PFIF record ids are minted in, e.g. lantern.kent.police.uk' }),
  },
  { additionalProperties: false },
)

export const PfifExportResponse = Type.Object({
  disclosureId: Uuid(),
  document: Type.String({ description: 'The PFIF 1.4 XML document' }),
  persons: Type.Integer(),
  notes: Type.Integer(),
  withheld: Type.Array(Type.String(), { description: 'Fields left out for people whose location is restricted' }),
})
