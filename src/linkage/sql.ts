// The part of SQL that Splink writes into a model's comparison levels and blocking rules (DuckDB dialect):
// parsed into a tree and compiled into JavaScript closures over two person records, so a model trained in
// Splink scores here. Column references are `"name_l"`, `name_r`, `l.name` or `r."name"`. Unsupported
// functions are refused by name when the model is read, never at scoring time.
import { columnText } from './features.ts'
import { damerauLevenshtein, jaro, jaroWinkler, levenshtein } from './jaro-winkler.ts'
import type { PersonRecord } from './person-record.ts'

export type SqlNode =
  | { kind: 'literal'; value: SqlValue }
  | { kind: 'column'; side: 'l' | 'r'; column: string }
  | { kind: 'function'; name: string; args: SqlNode[] }
  | { kind: 'binary'; operator: string; left: SqlNode; right: SqlNode }
  | { kind: 'unary'; operator: 'NOT' | '-'; operand: SqlNode }
  | { kind: 'isNull'; operand: SqlNode; negated: boolean }
  | { kind: 'in'; operand: SqlNode; list: SqlNode[]; negated: boolean }
  | { kind: 'case'; branches: [SqlNode, SqlNode][]; otherwise: SqlNode | null }
  | { kind: 'else' }

export type SqlValue = string | number | boolean | null | string[]

export class SqlError extends Error {}

// ------------------------------------------------------------------------------------------- tokens

type Token = { type: 'word' | 'quoted' | 'string' | 'number' | 'symbol'; text: string }

function tokenise(sql: string): Token[] {
  const tokens: Token[] = []
  let index = 0
  while (index < sql.length) {
    const char = sql[index] ?? ''
    if (/\s/.test(char)) {
      index++
    } else if (/[A-Za-z_]/.test(char)) {
      let end = index + 1
      while (end < sql.length && /[A-Za-z0-9_]/.test(sql[end] ?? '')) end++
      tokens.push({ type: 'word', text: sql.slice(index, end) })
      index = end
    } else if (/[0-9]/.test(char) || (char === '.' && /[0-9]/.test(sql[index + 1] ?? ''))) {
      let end = index + 1
      while (end < sql.length && /[0-9.eE]/.test(sql[end] ?? '')) end++
      tokens.push({ type: 'number', text: sql.slice(index, end) })
      index = end
    } else if (char === "'" || char === '"' || char === '`') {
      let end = index + 1
      let text = ''
      for (;;) {
        if (end >= sql.length) throw new SqlError(`unterminated ${char} in: ${sql}`)
        if (sql[end] === char) {
          if (sql[end + 1] === char) {
            text += char
            end += 2
            continue
          }
          break
        }
        text += sql[end]
        end++
      }
      tokens.push({ type: char === "'" ? 'string' : 'quoted', text })
      index = end + 1
    } else {
      const two = sql.slice(index, index + 2)
      if (['<=', '>=', '<>', '!=', '==', '||', '::'].includes(two)) {
        tokens.push({ type: 'symbol', text: two })
        index += 2
      } else if ('=<>+-*/%(),.'.includes(char)) {
        tokens.push({ type: 'symbol', text: char })
        index++
      } else throw new SqlError(`unexpected "${char}" in: ${sql}`)
    }
  }
  return tokens
}

// ------------------------------------------------------------------------------------------- parser

class Parser {
  private position = 0
  private readonly tokens: Token[]
  private readonly sql: string

  constructor(sql: string) {
    this.sql = sql
    this.tokens = tokenise(sql)
  }

  parse(): SqlNode {
    if (this.tokens.length === 1 && this.isWord('ELSE')) return { kind: 'else' }
    const node = this.or()
    if (this.position < this.tokens.length) throw new SqlError(`unexpected "${this.tokens[this.position]?.text}" in: ${this.sql}`)
    return node
  }

  private peek(): Token | undefined {
    return this.tokens[this.position]
  }
  private isWord(word: string, offset = 0): boolean {
    const token = this.tokens[this.position + offset]
    return token?.type === 'word' && token.text.toUpperCase() === word
  }
  private isSymbol(symbol: string): boolean {
    const token = this.peek()
    return token?.type === 'symbol' && token.text === symbol
  }
  private expectSymbol(symbol: string): void {
    if (!this.isSymbol(symbol)) throw new SqlError(`expected "${symbol}" in: ${this.sql}`)
    this.position++
  }
  private expectWord(word: string): void {
    if (!this.isWord(word)) throw new SqlError(`expected ${word} in: ${this.sql}`)
    this.position++
  }

  private or(): SqlNode {
    let left = this.and()
    while (this.isWord('OR')) {
      this.position++
      left = { kind: 'binary', operator: 'OR', left, right: this.and() }
    }
    return left
  }
  private and(): SqlNode {
    let left = this.not()
    while (this.isWord('AND')) {
      this.position++
      left = { kind: 'binary', operator: 'AND', left, right: this.not() }
    }
    return left
  }
  private not(): SqlNode {
    if (this.isWord('NOT')) {
      this.position++
      return { kind: 'unary', operator: 'NOT', operand: this.not() }
    }
    return this.comparison()
  }
  private comparison(): SqlNode {
    const left = this.additive()
    const token = this.peek()
    if (token?.type === 'symbol' && ['=', '==', '<>', '!=', '<', '<=', '>', '>='].includes(token.text)) {
      this.position++
      const operator = token.text === '==' ? '=' : token.text === '!=' ? '<>' : token.text
      return { kind: 'binary', operator, left, right: this.additive() }
    }
    if (this.isWord('IS')) {
      this.position++
      const negated = this.isWord('NOT')
      if (negated) this.position++
      this.expectWord('NULL')
      return { kind: 'isNull', operand: left, negated }
    }
    const negated = this.isWord('NOT') && (this.isWord('IN', 1) || this.isWord('LIKE', 1) || this.isWord('BETWEEN', 1))
    if (negated) this.position++
    if (this.isWord('IN')) {
      this.position++
      this.expectSymbol('(')
      const list = [this.additive()]
      while (this.isSymbol(',')) {
        this.position++
        list.push(this.additive())
      }
      this.expectSymbol(')')
      return { kind: 'in', operand: left, list, negated }
    }
    if (this.isWord('LIKE')) {
      this.position++
      const node: SqlNode = { kind: 'function', name: 'like', args: [left, this.additive()] }
      return negated ? { kind: 'unary', operator: 'NOT', operand: node } : node
    }
    if (this.isWord('BETWEEN')) {
      this.position++
      const low = this.additive()
      this.expectWord('AND')
      const high = this.additive()
      const node: SqlNode = {
        kind: 'binary',
        operator: 'AND',
        left: { kind: 'binary', operator: '>=', left, right: low },
        right: { kind: 'binary', operator: '<=', left, right: high },
      }
      return negated ? { kind: 'unary', operator: 'NOT', operand: node } : node
    }
    return left
  }
  private additive(): SqlNode {
    let left = this.multiplicative()
    for (;;) {
      const token = this.peek()
      if (token?.type === 'symbol' && ['+', '-', '||'].includes(token.text)) {
        this.position++
        left = { kind: 'binary', operator: token.text, left, right: this.multiplicative() }
      } else return left
    }
  }
  private multiplicative(): SqlNode {
    let left = this.unary()
    for (;;) {
      const token = this.peek()
      if (token?.type === 'symbol' && ['*', '/', '%'].includes(token.text)) {
        this.position++
        left = { kind: 'binary', operator: token.text, left, right: this.unary() }
      } else return left
    }
  }
  private unary(): SqlNode {
    if (this.isSymbol('-')) {
      this.position++
      return { kind: 'unary', operator: '-', operand: this.unary() }
    }
    const node = this.primary()
    // Casts (x::DATE) keep the value: dates are compared as ISO text or converted by the functions.
    while (this.isSymbol('::')) {
      this.position++
      this.position++
    }
    return node
  }
  private primary(): SqlNode {
    const token = this.peek()
    if (!token) throw new SqlError(`unexpected end of: ${this.sql}`)
    if (token.type === 'number') {
      this.position++
      return { kind: 'literal', value: Number(token.text) }
    }
    if (token.type === 'string') {
      this.position++
      return { kind: 'literal', value: token.text }
    }
    if (token.type === 'symbol' && token.text === '(') {
      this.position++
      const node = this.or()
      this.expectSymbol(')')
      return node
    }
    if (token.type === 'word' && token.text.toUpperCase() === 'CASE') return this.caseExpression()
    if (token.type === 'word' && ['NULL', 'TRUE', 'FALSE'].includes(token.text.toUpperCase())) {
      this.position++
      const upper = token.text.toUpperCase()
      return { kind: 'literal', value: upper === 'NULL' ? null : upper === 'TRUE' }
    }
    if (token.type === 'word' && token.text.toUpperCase() === 'CAST') {
      this.position++
      this.expectSymbol('(')
      const node = this.or()
      this.expectWord('AS')
      this.position++
      this.expectSymbol(')')
      return node
    }
    if (token.type === 'word' || token.type === 'quoted') {
      this.position++
      // function call
      if (token.type === 'word' && this.isSymbol('(')) {
        this.position++
        const args: SqlNode[] = []
        if (!this.isSymbol(')')) {
          args.push(this.or())
          while (this.isSymbol(',')) {
            this.position++
            args.push(this.or())
          }
        }
        this.expectSymbol(')')
        return { kind: 'function', name: token.text.toLowerCase(), args }
      }
      // l.column or r."column"
      if (this.isSymbol('.') && (token.text === 'l' || token.text === 'r')) {
        this.position++
        const column = this.peek()
        if (!column || (column.type !== 'word' && column.type !== 'quoted')) throw new SqlError(`expected a column after ${token.text}. in: ${this.sql}`)
        this.position++
        return { kind: 'column', side: token.text, column: column.text }
      }
      const match = /^(.*)_(l|r)$/.exec(token.text)
      if (!match) throw new SqlError(`"${token.text}" is not a column of the left or right record (name_l, name_r, l.name, r.name) in: ${this.sql}`)
      return { kind: 'column', side: match[2] as 'l' | 'r', column: match[1] as string }
    }
    throw new SqlError(`unexpected "${token.text}" in: ${this.sql}`)
  }
  private caseExpression(): SqlNode {
    this.expectWord('CASE')
    const branches: [SqlNode, SqlNode][] = []
    while (this.isWord('WHEN')) {
      this.position++
      const condition = this.or()
      this.expectWord('THEN')
      branches.push([condition, this.or()])
    }
    let otherwise: SqlNode | null = null
    if (this.isWord('ELSE')) {
      this.position++
      otherwise = this.or()
    }
    this.expectWord('END')
    return { kind: 'case', branches, otherwise }
  }
}

export function parseSql(sql: string): SqlNode {
  return new Parser(sql).parse()
}

// ------------------------------------------------------------------------------------------- evaluation

/** A column's value: text, or a list for identifiers and other names (columnText resolves the name). */
export function recordColumn(record: PersonRecord, column: string): SqlValue {
  if (column === 'identifiers' && !(column in record.extra)) return record.identifiers.map((identifier) => `${identifier.type}:${identifier.value}`)
  if (column === 'other_names' && !(column in record.extra)) return record.otherNames
  return columnText(record, column)
}

type Evaluate = (l: PersonRecord, r: PersonRecord) => SqlValue

type Argument = SqlValue | undefined

const asNumber = (value: Argument): number | null => {
  if (value === null || value === undefined || Array.isArray(value)) return null
  if (typeof value === 'number') return value
  if (typeof value === 'boolean') return value ? 1 : 0
  const parsed = Number(value)
  return Number.isNaN(parsed) ? null : parsed
}
const asText = (value: Argument): string | null => (value === null || value === undefined ? null : Array.isArray(value) ? value.join(',') : String(value))

/** Epoch seconds of a date in one of the formats Splink models use, or null. */
function parseDate(text: string, format = '%Y-%m-%d'): number | null {
  let match: RegExpExecArray | null
  if (format === '%d/%m/%Y') match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text)
  else if (format === '%Y%m%d') match = /^(\d{4})(\d{2})(\d{2})$/.exec(text)
  else match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text)
  if (!match) return null
  const [year, month, day] = format === '%d/%m/%Y' ? [match[3], match[2], match[1]] : [match[1], match[2], match[3]]
  const time = Date.UTC(Number(year), Number(month) - 1, Number(day))
  return Number.isNaN(time) ? null : time / 1000
}

const toSeconds = (value: Argument): number | null => (typeof value === 'number' ? value : typeof value === 'string' ? parseDate(value) : null)

const FUNCTIONS: Record<string, (args: Argument[]) => SqlValue> = {
  jaro_winkler_similarity: ([a, b]) => (a === null || b === null ? null : jaroWinkler(asText(a) ?? '', asText(b) ?? '')),
  jaro_winkler: ([a, b]) => (a === null || b === null ? null : jaroWinkler(asText(a) ?? '', asText(b) ?? '')),
  jaro_winkler_sim: ([a, b]) => (a === null || b === null ? null : jaroWinkler(asText(a) ?? '', asText(b) ?? '')),
  jaro_similarity: ([a, b]) => (a === null || b === null ? null : jaro(asText(a) ?? '', asText(b) ?? '')),
  levenshtein: ([a, b]) => (a === null || b === null ? null : levenshtein(asText(a) ?? '', asText(b) ?? '')),
  damerau_levenshtein: ([a, b]) => (a === null || b === null ? null : damerauLevenshtein(asText(a) ?? '', asText(b) ?? '')),
  lower: ([a]) => (a === null ? null : (asText(a) ?? '').toLowerCase()),
  upper: ([a]) => (a === null ? null : (asText(a) ?? '').toUpperCase()),
  trim: ([a]) => (a === null ? null : (asText(a) ?? '').trim()),
  length: ([a]) => (a === null ? null : Array.isArray(a) ? a.length : (asText(a) ?? '').length),
  len: ([a]) => (a === null ? null : Array.isArray(a) ? a.length : (asText(a) ?? '').length),
  array_length: ([a]) => (Array.isArray(a) ? a.length : null),
  substr: ([a, start, count]) => substring(a, start, count),
  substring: ([a, start, count]) => substring(a, start, count),
  left: ([a, count]) => substring(a, 1, count),
  right: ([a, count]) => {
    const text = asText(a)
    const n = asNumber(count ?? null)
    return text === null || n === null ? null : text.slice(Math.max(0, text.length - n))
  },
  abs: ([a]) => {
    const n = asNumber(a ?? null)
    return n === null ? null : Math.abs(n)
  },
  coalesce: (args) => args.find((value) => value !== null && value !== undefined) ?? null,
  nullif: ([a, b]) => (a === b ? null : (a ?? null)),
  strptime: ([a, format]) => (a === null ? null : parseDate(asText(a) ?? '', asText(format ?? null) ?? undefined)),
  try_strptime: ([a, format]) => (a === null ? null : parseDate(asText(a) ?? '', asText(format ?? null) ?? undefined)),
  epoch: ([a]) => toSeconds(a ?? null),
  date_diff: ([unit, a, b]) => dateDiff(asText(unit ?? null), a ?? null, b ?? null),
  datediff: ([unit, a, b]) => dateDiff(asText(unit ?? null), a ?? null, b ?? null),
  str_split: ([a, separator]) => (a === null ? null : (asText(a) ?? '').split(asText(separator ?? null) ?? ' ')),
  string_split: ([a, separator]) => (a === null ? null : (asText(a) ?? '').split(asText(separator ?? null) ?? ' ')),
  split: ([a, separator]) => (a === null ? null : (asText(a) ?? '').split(asText(separator ?? null) ?? ' ')),
  list_intersect: ([a, b]) => (Array.isArray(a) && Array.isArray(b) ? a.filter((item) => b.includes(item)) : null),
  array_intersect: ([a, b]) => (Array.isArray(a) && Array.isArray(b) ? a.filter((item) => b.includes(item)) : null),
  list_has_any: ([a, b]) => (Array.isArray(a) && Array.isArray(b) ? a.some((item) => b.includes(item)) : null),
  array_has_any: ([a, b]) => (Array.isArray(a) && Array.isArray(b) ? a.some((item) => b.includes(item)) : null),
  jaccard: ([a, b]) => {
    const x = asText(a)
    const y = asText(b)
    if (x === null || y === null) return null
    const setX = new Set(x)
    const setY = new Set(y)
    const union = new Set([...setX, ...setY]).size
    return union === 0 ? 1 : [...setX].filter((char) => setY.has(char)).length / union
  },
  regexp_extract: ([a, pattern, group]) => {
    const text = asText(a)
    if (text === null) return null
    const match = new RegExp(asText(pattern ?? null) ?? '').exec(text)
    return match ? (match[asNumber(group ?? null) ?? 0] ?? '') : ''
  },
  regexp_matches: ([a, pattern]) => {
    const text = asText(a)
    return text === null ? null : new RegExp(asText(pattern ?? null) ?? '').test(text)
  },
  like: ([a, pattern]) => {
    const text = asText(a)
    const like = asText(pattern ?? null)
    if (text === null || like === null) return null
    const regex = new RegExp(`^${like.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, 's')
    return regex.test(text)
  },
}

function substring(a: SqlValue | undefined, start: SqlValue | undefined, count: SqlValue | undefined): SqlValue {
  const text = asText(a ?? null)
  const from = asNumber(start ?? null)
  if (text === null || from === null) return null
  const n = count === undefined ? undefined : asNumber(count)
  return n === null ? null : text.substr(Math.max(0, from - 1), n)
}

function dateDiff(unit: string | null, a: Argument, b: Argument): number | null {
  const x = toSeconds(a)
  const y = toSeconds(b)
  if (x === null || y === null) return null
  const days = (y - x) / 86_400
  switch ((unit ?? 'day').toLowerCase()) {
    case 'day':
    case 'days':
      return Math.trunc(days)
    case 'month':
    case 'months': {
      const from = new Date(x * 1000)
      const to = new Date(y * 1000)
      return (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + to.getUTCMonth() - from.getUTCMonth()
    }
    case 'year':
    case 'years':
      return new Date(y * 1000).getUTCFullYear() - new Date(x * 1000).getUTCFullYear()
    default:
      return null
  }
}

function compare(operator: string, a: Argument, b: Argument): boolean | null {
  if (a === null || a === undefined || b === null || b === undefined) return null
  const x = asNumber(a)
  const y = asNumber(b)
  const numeric = typeof a === 'number' || typeof b === 'number'
  const left = numeric && x !== null && y !== null ? x : asText(a)
  const right = numeric && x !== null && y !== null ? y : asText(b)
  if (left === null || right === null) return null
  switch (operator) {
    case '=':
      return left === right
    case '<>':
      return left !== right
    case '<':
      return left < right
    case '<=':
      return left <= right
    case '>':
      return left > right
    default:
      return left >= right
  }
}

/** Checks every function a tree calls, so a model with an unknown one is refused when read. */
export function checkFunctions(node: SqlNode, sql: string): void {
  const visit = (current: SqlNode) => {
    switch (current.kind) {
      case 'function':
        if (!(current.name in FUNCTIONS)) throw new SqlError(`the function ${current.name}() is not supported (in: ${sql})`)
        current.args.forEach(visit)
        break
      case 'binary':
        visit(current.left)
        visit(current.right)
        break
      case 'unary':
        visit(current.operand)
        break
      case 'isNull':
        visit(current.operand)
        break
      case 'in':
        visit(current.operand)
        current.list.forEach(visit)
        break
      case 'case':
        current.branches.forEach(([condition, value]) => {
          visit(condition)
          visit(value)
        })
        if (current.otherwise) visit(current.otherwise)
        break
      default:
    }
  }
  visit(node)
}

/** Compiles a tree into a function of the left and right records. */
export function compileSql(node: SqlNode): Evaluate {
  switch (node.kind) {
    case 'else':
      return () => true
    case 'literal': {
      const value = node.value
      return () => value
    }
    case 'column': {
      const column = node.column
      return node.side === 'l' ? (l) => recordColumn(l, column) : (_l, r) => recordColumn(r, column)
    }
    case 'function': {
      const implementation = FUNCTIONS[node.name]
      if (!implementation) throw new SqlError(`the function ${node.name}() is not supported`)
      const args = node.args.map(compileSql)
      return (l, r) => implementation(args.map((arg) => arg(l, r)))
    }
    case 'unary': {
      const operand = compileSql(node.operand)
      if (node.operator === 'NOT')
        return (l, r) => {
          const value = operand(l, r)
          return value === null ? null : !value
        }
      return (l, r) => {
        const value = asNumber(operand(l, r))
        return value === null ? null : -value
      }
    }
    case 'isNull': {
      const operand = compileSql(node.operand)
      const negated = node.negated
      return (l, r) => (operand(l, r) === null) !== negated
    }
    case 'in': {
      const operand = compileSql(node.operand)
      const list = node.list.map(compileSql)
      const negated = node.negated
      return (l, r) => {
        const value = operand(l, r)
        if (value === null) return null
        return list.some((item) => compare('=', value, item(l, r)) === true) !== negated
      }
    }
    case 'case': {
      const branches = node.branches.map(([condition, value]) => [compileSql(condition), compileSql(value)] as const)
      const otherwise = node.otherwise ? compileSql(node.otherwise) : () => null
      return (l, r) => {
        for (const [condition, value] of branches) if (condition(l, r) === true) return value(l, r)
        return otherwise(l, r)
      }
    }
    case 'binary': {
      const left = compileSql(node.left)
      const right = compileSql(node.right)
      switch (node.operator) {
        case 'AND':
          return (l, r) => {
            const a = left(l, r)
            if (a === false) return false
            const b = right(l, r)
            if (b === false) return false
            return a === null || b === null ? null : true
          }
        case 'OR':
          return (l, r) => {
            const a = left(l, r)
            if (a === true) return true
            const b = right(l, r)
            if (b === true) return true
            return a === null || b === null ? null : false
          }
        case '+':
        case '-':
        case '*':
        case '/':
        case '%': {
          const operator = node.operator
          return (l, r) => {
            const a = asNumber(left(l, r))
            const b = asNumber(right(l, r))
            if (a === null || b === null) return null
            return operator === '+' ? a + b : operator === '-' ? a - b : operator === '*' ? a * b : operator === '/' ? a / b : a % b
          }
        }
        case '||':
          return (l, r) => {
            const a = asText(left(l, r))
            const b = asText(right(l, r))
            return a === null || b === null ? null : a + b
          }
        default: {
          const operator = node.operator
          return (l, r) => compare(operator, left(l, r), right(l, r))
        }
      }
    }
  }
}

/** An expression over one record (one side of a blocking equality). */
export interface RecordExpression {
  /** The expression's canonical text, with its side's prefix, to check both sides are the same. */
  text: string
  /** The plain column when the expression is just one, else null. */
  column: string | null
  evaluate(record: PersonRecord): SqlValue
}

export function compileRecordExpression(node: SqlNode, side: 'l' | 'r', columns: Set<string>): RecordExpression {
  const describe = (current: SqlNode): string => {
    switch (current.kind) {
      case 'column':
        if (current.side !== side) throw new SqlError(`a blocking equality mixes l and r on one side`)
        columns.add(current.column)
        return `${side}.${current.column}`
      case 'literal':
        return JSON.stringify(current.value)
      case 'function':
        return `${current.name}(${current.args.map(describe).join(',')})`
      case 'binary':
        return `(${describe(current.left)}${current.operator}${describe(current.right)})`
      case 'unary':
        return `${current.operator}(${describe(current.operand)})`
      default:
        throw new SqlError('a blocking rule may use columns, literals and functions only')
    }
  }
  const text = describe(node)
  checkFunctions(node, text)
  const evaluate = compileSql(node)
  return {
    text,
    column: node.kind === 'column' ? node.column : null,
    evaluate: (record) => evaluate(record, record),
  }
}
