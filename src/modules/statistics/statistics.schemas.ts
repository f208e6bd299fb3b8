import { Type } from '@sinclair/typebox'
import { Nullable, OneOf } from '../../lib/schema.ts'
import { CATEGORIES, DEFINITIONS, DIMENSION_NAMES } from './statistics.definitions.ts'

const dimension = OneOf(DIMENSION_NAMES as unknown as readonly [string, ...string[]])

/** The query of every statistics table. Any breakdown's name is also a filter (comma-separated values). */
export const StatisticsQuery = Type.Object(
  {
    rows: Type.Optional(dimension),
    columns: Type.Optional(dimension),
    measure: Type.Optional(OneOf(['children', 'episodes'] as const)),
    yearFrom: Type.Optional(Type.Integer({ minimum: 2006, maximum: 2100, description: 'First year ending 31 March' })),
    yearTo: Type.Optional(Type.Integer({ minimum: 2006, maximum: 2100, description: 'Last year ending 31 March' })),
    definition: Type.Optional(OneOf(DEFINITIONS)),
    category: Type.Optional(OneOf(CATEGORIES)),
    by: Type.Optional(OneOf(['policeForce', 'responsibleAuthority', 'traffickingStatus', 'unaccompanied'] as const)),
    from: Type.Optional(OneOf(['care', 'referral'] as const)),
    unrounded: Type.Optional(Type.Boolean({ description: 'Statisticians only: figures before disclosure control (audited)' })),
    format: Type.Optional(OneOf(['json', 'csv', 'xlsx'] as const)),
  },
  { additionalProperties: Type.String({ maxLength: 500 }) },
)

const Symbol = Nullable(OneOf(['c', 'k', 'z', 'x'] as const))
const Cell = Type.Object({ value: Nullable(Type.Number()), symbol: Symbol, text: Type.String(), percent: Type.Optional(Type.Boolean()) })

export const TableResponse = Type.Object({
  id: Type.String(),
  title: Type.String(),
  rowHeading: Type.String(),
  columns: Type.Array(Type.Object({ key: Type.String(), label: Type.String() })),
  rows: Type.Array(Type.Object({ key: Type.String(), label: Type.String(), total: Type.Boolean(), cells: Type.Array(Cell) })),
  notes: Type.Array(Type.String()),
  asAt: Nullable(Type.String()),
  unrounded: Type.Boolean(),
})

export const CurveResponse = Type.Object({
  from: Type.String(),
  trafficked: Type.Boolean(),
  cohort: Cell,
  points: Type.Array(Type.Object({ day: Type.Integer(), percent: Cell })),
  asAt: Nullable(Type.String()),
})
