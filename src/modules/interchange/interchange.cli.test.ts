import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseCsv } from '../../lib/csv.ts'
import { csvFiles, validReturn } from './ssda903/ssda903.test-files.ts'

// The lantern command itself, in a process of its own, on an embedded database in a temporary folder.
const main = join(import.meta.dirname, '..', '..', 'main.ts')
const LEAD = 'missing.lead@kent.gov.example'

describe('lantern import ssda903', () => {
  let folder: string
  const env = () => ({ ...process.env, DATA_DIR: join(folder, 'data'), DATABASE_URL: '', NODE_ENV: 'test', LOG_LEVEL: 'error' })
  const lantern = (...args: string[]) => spawnSync(process.execPath, [main, ...args], { env: env(), encoding: 'utf8', cwd: folder })

  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'lantern-cli-'))
    const seeded = lantern('seed', '--people', '0')
    assert.equal(seeded.status, 0, seeded.stderr)
  })
  after(() => rmSync(folder, { recursive: true, force: true }))

  function writeReturn(tables = validReturn()): string[] {
    return csvFiles(tables).map((file) => {
      const path = join(folder, file.name)
      writeFileSync(path, file.bytes)
      return path
    })
  }

  test('a return with a problem: exit 1, nothing imported, the report as CSV; then the good return: exit 0', () => {
    const tables = validReturn()
    tables.Missing[1] = { ...(tables.Missing[1] ?? {}), MIS_START: '02/07/2024' }
    const report = join(folder, 'report.csv')
    const refused = lantern('import', 'ssda903', '--la', 'E10000016', '--year', '2025', '--user', LEAD, '--report', report, ...writeReturn(tables))
    assert.equal(refused.status, 1, refused.stdout + refused.stderr)
    assert.match(refused.stdout, /refused, 1 problem/)
    assert.deepEqual(parseCsv(readFileSync(report, 'utf8')), [
      ['rule', 'message', 'table', 'line', 'field'],
      ['574', 'A new missing/away from placement without authorisation period cannot start when the previous missing/away from placement without authorisation period is still open. Missing/away from placement without authorisation periods should also not overlap.', 'Missing', '3', 'MIS_START'],
    ])
    const partial = lantern('import', 'ssda903', '--la', 'E10000016', '--year', '2025', '--user', LEAD, '--accept-valid', ...writeReturn(tables))
    assert.equal(partial.status, 1, 'something was left out')
    assert.match(partial.stdout, /imported in part/)
    assert.match(partial.stdout, /left out \(1\): C1/)
    const imported = lantern('import', 'ssda903', '--la', 'E10000016', '--year', '2025', '--user', LEAD, ...writeReturn())
    assert.equal(imported.status, 0, imported.stdout + imported.stderr)
    assert.match(imported.stdout, /Import [0-9a-f-]+: imported, 0 problem/)

    const out = join(folder, 'export')
    const exported = lantern('export', 'ssda903', '--la', 'E10000016', '--year', '2025', '--user', LEAD, '--recipient', 'Department for Education', '--out', out)
    assert.equal(exported.status, 0, exported.stdout + exported.stderr)
    assert.match(exported.stdout, /Disclosure [0-9a-f-]+ to Department for Education recorded/)
    for (const file of csvFiles(validReturn()).filter((candidate) => candidate.name !== 'uasc.csv')) {
      assert.equal(readFileSync(join(out, file.name), 'utf8'), Buffer.from(file.bytes).toString('utf8'), `${file.name} round-trips through the command`)
    }
  })

  test('usage and access errors say what is wrong', () => {
    const noYear = lantern('import', 'ssda903', '--la', 'E10000016', '--user', LEAD, ...writeReturn())
    assert.equal(noYear.status, 2)
    assert.match(noYear.stderr, /--year is required/)
    const police = lantern('import', 'ssda903', '--la', 'E10000016', '--year', '2025', '--user', 'officer@kent.police.example', ...writeReturn())
    assert.equal(police.status, 1)
    assert.match(police.stderr, /you cannot import into another agency's records/)
  })
})
