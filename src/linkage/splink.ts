// Splink's model JSON (the settings Splink 4 saves with `linker.misc.save_model_to_json`): comparisons with
// their ordered levels, each level's SQL condition, m and u probabilities and term-frequency settings, the
// prior, and the blocking rules. Lantern writes its models in this format and reads them back; it also
// reads models trained in Splink, compiling their SQL conditions (sql.ts), with fast paths for the usual
// ones (null checks, exact matches, Jaro-Winkler thresholds) over the feature table's interned values.
import {
  NATIVE_COMPARISONS,
  type BoundComparison,
  type ComparisonDefinition,
  type LevelDefinition,
  type TermFrequencyAdjustment,
} from './comparisons.ts'
import { NONE, columnValues, termFrequencyLog, type FeatureTable } from './features.ts'
import { levenshtein, damerauLevenshtein } from './jaro-winkler.ts'
import { parseBlockingRule } from './blocking.ts'
import type { LinkageModel, ModelComparison } from './model.ts'
import { checkFunctions, compileSql, parseSql, SqlError, type SqlNode } from './sql.ts'
import type { PersonRecord } from './person-record.ts'

export class ModelFormatError extends Error {}

interface SplinkLevel {
  sql_condition: string
  label_for_charts?: string
  is_null_level?: boolean
  m_probability?: number
  u_probability?: number
  tf_adjustment_column?: string
  tf_adjustment_weight?: number
  tf_minimum_u_value?: number
}

/** Lantern's model as Splink settings JSON. */
export function modelToSplinkJson(model: LinkageModel): Record<string, unknown> {
  return {
    link_type: model.linkType,
    probability_two_random_records_match: model.probabilityTwoRandomRecordsMatch,
    retain_matching_columns: true,
    retain_intermediate_calculation_columns: false,
    additional_columns_to_retain: [],
    sql_dialect: 'duckdb',
    linker_uid: 'lantern',
    em_convergence: 0.0001,
    max_iterations: 25,
    bayes_factor_column_prefix: 'bf_',
    term_frequency_adjustment_column_prefix: 'tf_',
    comparison_vector_value_column_prefix: 'gamma_',
    unique_id_column_name: 'record_id',
    source_dataset_column_name: 'source_dataset',
    blocking_rules_to_generate_predictions: model.blockingRules.map((rule) => ({ blocking_rule: rule.text, sql_dialect: 'duckdb' })),
    comparisons: model.comparisons.map((comparison) => ({
      output_column_name: comparison.definition.name,
      comparison_description: comparison.definition.description,
      comparison_levels: comparison.definition.levels.map((level, index) => {
        const json: SplinkLevel = { sql_condition: level.sql, label_for_charts: level.label }
        if (level.isNull) json.is_null_level = true
        else {
          json.m_probability = comparison.m[index] ?? 0
          json.u_probability = comparison.u[index] ?? 0
        }
        if (level.tf) {
          json.tf_adjustment_column = level.tf.column
          json.tf_adjustment_weight = level.tf.weight
          json.tf_minimum_u_value = level.tf.minimumU
        }
        return json
      }),
    })),
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** Reads a model from Splink settings JSON (Lantern's own, or one trained in Splink). Refuses what it cannot serve, naming where. */
export function modelFromSplinkJson(json: unknown): LinkageModel {
  if (!isObject(json)) throw new ModelFormatError('The model is not a JSON object')
  const linkType = json.link_type
  if (linkType !== 'dedupe_only' && linkType !== 'link_only' && linkType !== 'link_and_dedupe')
    throw new ModelFormatError('link_type must be dedupe_only, link_only or link_and_dedupe')
  const prior = json.probability_two_random_records_match
  if (typeof prior !== 'number' || !(prior > 0 && prior < 1))
    throw new ModelFormatError('probability_two_random_records_match must be a number between 0 and 1')
  if (!Array.isArray(json.comparisons) || json.comparisons.length === 0) throw new ModelFormatError('comparisons must be a non-empty list')
  const comparisons = json.comparisons.map((raw, index) => readComparison(raw, `comparisons[${index}]`))
  const rawRules = json.blocking_rules_to_generate_predictions ?? []
  if (!Array.isArray(rawRules)) throw new ModelFormatError('blocking_rules_to_generate_predictions must be a list')
  const blockingRules = rawRules.map((raw, index) => {
    const text = typeof raw === 'string' ? raw : isObject(raw) && typeof raw.blocking_rule === 'string' ? raw.blocking_rule : null
    if (text === null) throw new ModelFormatError(`blocking_rules_to_generate_predictions[${index}] must be a string or {"blocking_rule": ...}`)
    try {
      return parseBlockingRule(text)
    } catch (error) {
      throw new ModelFormatError(`blocking_rules_to_generate_predictions[${index}]: ${error instanceof Error ? error.message : String(error)}`)
    }
  })
  return { linkType: linkType === 'link_only' ? 'link_only' : 'dedupe_only', probabilityTwoRandomRecordsMatch: prior, comparisons, blockingRules }
}

function readComparison(raw: unknown, path: string): ModelComparison {
  if (!isObject(raw)) throw new ModelFormatError(`${path} must be an object`)
  const name = raw.output_column_name
  if (typeof name !== 'string' || name === '') throw new ModelFormatError(`${path}.output_column_name must be a non-empty string`)
  if (!Array.isArray(raw.comparison_levels) || raw.comparison_levels.length < 2) throw new ModelFormatError(`${path}.comparison_levels must list at least two levels`)
  const levels: LevelDefinition[] = []
  const m: number[] = []
  const u: number[] = []
  raw.comparison_levels.forEach((rawLevel: unknown, index: number) => {
    const levelPath = `${path}.comparison_levels[${index}]`
    if (!isObject(rawLevel)) throw new ModelFormatError(`${levelPath} must be an object`)
    if (typeof rawLevel.sql_condition !== 'string') throw new ModelFormatError(`${levelPath}.sql_condition must be a string`)
    const isNull = rawLevel.is_null_level === true
    let tf: TermFrequencyAdjustment | undefined
    if (typeof rawLevel.tf_adjustment_column === 'string' && rawLevel.tf_adjustment_column !== '') {
      tf = {
        column: rawLevel.tf_adjustment_column,
        weight: typeof rawLevel.tf_adjustment_weight === 'number' ? rawLevel.tf_adjustment_weight : 1,
        minimumU: typeof rawLevel.tf_minimum_u_value === 'number' ? rawLevel.tf_minimum_u_value : 0,
      }
    }
    levels.push({
      label: typeof rawLevel.label_for_charts === 'string' ? rawLevel.label_for_charts : rawLevel.sql_condition,
      sql: rawLevel.sql_condition,
      ...(isNull ? { isNull } : {}),
      ...(tf ? { tf } : {}),
    })
    if (isNull) {
      m.push(NaN)
      u.push(NaN)
      return
    }
    const mValue = rawLevel.m_probability
    const uValue = rawLevel.u_probability
    if (typeof mValue !== 'number' || !(mValue >= 0 && mValue <= 1))
      throw new ModelFormatError(`${levelPath}.m_probability must be a number from 0 to 1 (is the model trained?)`)
    if (typeof uValue !== 'number' || !(uValue >= 0 && uValue <= 1))
      throw new ModelFormatError(`${levelPath}.u_probability must be a number from 0 to 1 (is the model trained?)`)
    m.push(mValue)
    u.push(uValue)
  })
  const description = typeof raw.comparison_description === 'string' ? raw.comparison_description : ''
  let definition: ComparisonDefinition
  const native = /^lantern:([a-z_]+)$/.exec(description)
  if (native) {
    const factory = NATIVE_COMPARISONS[native[1] as string]
    if (!factory) throw new ModelFormatError(`${path}: unknown Lantern comparison "${description}"`)
    definition = factory()
    if (definition.levels.length !== levels.length)
      throw new ModelFormatError(`${path}: ${description} has ${definition.levels.length} levels, the model lists ${levels.length}`)
    // The saved tf settings (weights, minimum u) win over the defaults.
    definition.levels = definition.levels.map((level, index) => {
      const saved = levels[index]?.tf
      return { ...level, tf: saved ? { ...saved, baseline: level.tf?.baseline ?? 'exact' } : undefined }
    })
    definition.name = name
  } else {
    try {
      definition = sqlComparison(name, description, levels)
    } catch (error) {
      if (error instanceof SqlError) throw new ModelFormatError(`${path}: ${error.message}`)
      throw error
    }
  }
  return { definition, m, u }
}

// ------------------------------------------------------------------------------------------- SQL comparisons

type Matcher = (a: number, b: number) => boolean

function columnOf(node: SqlNode, side: 'l' | 'r'): string | null {
  return node.kind === 'column' && node.side === side ? node.column : null
}

/** Recognises `x_l = x_r`, null checks and string similarity thresholds on one plain column. */
function fastMatcher(node: SqlNode, table: FeatureTable): Matcher | null {
  if (node.kind === 'else') return () => true
  if (node.kind === 'binary' && node.operator === 'OR') {
    const { left, right } = node
    if (left.kind === 'isNull' && right.kind === 'isNull' && !left.negated && !right.negated) {
      const column = columnOf(left.operand, 'l') ?? columnOf(left.operand, 'r')
      const other = columnOf(right.operand, 'r') ?? columnOf(right.operand, 'l')
      if (column !== null && column === other) {
        const values = columnValues(table, column)
        return (a, b) => values[a] === NONE || values[b] === NONE
      }
    }
    const first = fastMatcher(left, table)
    const second = fastMatcher(right, table)
    if (first && second) return (a, b) => first(a, b) || second(a, b)
    return null
  }
  if (node.kind === 'binary' && node.operator === 'AND') {
    const first = fastMatcher(node.left, table)
    const second = fastMatcher(node.right, table)
    if (first && second) return (a, b) => first(a, b) && second(a, b)
    return null
  }
  if (node.kind === 'binary' && node.operator === '=') {
    const left = columnOf(node.left, 'l')
    const right = columnOf(node.right, 'r')
    if (left !== null && right !== null) {
      const valuesLeft = columnValues(table, left)
      const valuesRight = columnValues(table, right)
      return (a, b) => valuesLeft[a] !== NONE && valuesLeft[a] === valuesRight[b]
    }
    return null
  }
  if (node.kind === 'binary' && ['>=', '>', '<=', '<'].includes(node.operator) && node.left.kind === 'function' && node.right.kind === 'literal') {
    const fn = node.left
    const threshold = node.right.value
    if (typeof threshold !== 'number' || fn.args.length !== 2) return null
    const [first, second] = fn.args as [SqlNode, SqlNode]
    const left = columnOf(first, 'l')
    const right = columnOf(second, 'r')
    if (left === null || left !== right) return null
    const values = columnValues(table, left)
    const strings = table.vocabulary.strings
    let measure: ((a: number, b: number) => number) | null = null
    if (fn.name === 'jaro_winkler_similarity' || fn.name === 'jaro_winkler' || fn.name === 'jaro_winkler_sim')
      measure = (a, b) => table.similarity.jaroWinkler(values[a] as number, values[b] as number)
    else if (fn.name === 'levenshtein') measure = (a, b) => levenshtein(strings[values[a] as number] ?? '', strings[values[b] as number] ?? '')
    else if (fn.name === 'damerau_levenshtein') measure = (a, b) => damerauLevenshtein(strings[values[a] as number] ?? '', strings[values[b] as number] ?? '')
    if (measure === null) return null
    const compareTo = measure
    const operator = node.operator
    return (a, b) => {
      if (values[a] === NONE || values[b] === NONE) return false
      const value = compareTo(a, b)
      return operator === '>=' ? value >= threshold : operator === '>' ? value > threshold : operator === '<=' ? value <= threshold : value < threshold
    }
  }
  return null
}

/** A comparison defined by Splink SQL conditions: the first level whose condition holds. */
export function sqlComparison(name: string, description: string, levels: LevelDefinition[]): ComparisonDefinition {
  const trees = levels.map((level) => {
    const tree = parseSql(level.sql)
    checkFunctions(tree, level.sql)
    return tree
  })
  const columns = new Set<string>()
  const collect = (node: SqlNode) => {
    if (node.kind === 'column') columns.add(node.column)
    else if (node.kind === 'function') node.args.forEach(collect)
    else if (node.kind === 'binary') {
      collect(node.left)
      collect(node.right)
    } else if (node.kind === 'unary' || node.kind === 'isNull') collect(node.operand)
    else if (node.kind === 'in') {
      collect(node.operand)
      node.list.forEach(collect)
    } else if (node.kind === 'case') {
      node.branches.forEach(([condition, value]) => {
        collect(condition)
        collect(value)
      })
      if (node.otherwise) collect(node.otherwise)
    }
  }
  trees.forEach(collect)
  return {
    name,
    description,
    levels,
    readsRecords: true,
    columns: [...columns],
    bind(table) {
      const matchers: Matcher[] = trees.map((tree) => {
        const fast = fastMatcher(tree, table)
        if (fast) return fast
        const evaluate = compileSql(tree)
        const records = table.records
        return (a, b) => evaluate(records[a] as PersonRecord, records[b] as PersonRecord) === true
      })
      const tfColumns = levels.map((level) => {
        if (!level.tf) return null
        const values = columnValues(table, level.tf.column)
        return { values, frequencies: termFrequencyLog(table, `column:${level.tf.column}`, (i) => values[i] as number) }
      })
      const last = levels.length - 1
      const bound: BoundComparison = {
        tfLog: 0,
        level(a, b) {
          for (let k = 0; k < matchers.length; k++) {
            if ((matchers[k] as Matcher)(a, b)) {
              const tf = tfColumns[k]
              if (tf) {
                const x = tf.values[a] as number
                const y = tf.values[b] as number
                const fx = x === NONE ? -Infinity : (tf.frequencies[x] ?? -30)
                const fy = y === NONE ? -Infinity : (tf.frequencies[y] ?? -30)
                // Splink takes the greater of the two values' frequencies.
                bound.tfLog = fx > fy ? fx : fy
              }
              return k
            }
          }
          return last
        },
      }
      return bound
    },
  }
}
