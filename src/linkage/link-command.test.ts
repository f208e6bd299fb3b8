import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { linkCommand } from './link-command.ts'

/** Runs the command with console output captured. */
async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const log = console.log
  const error = console.error
  console.log = (...parts: unknown[]) => out.push(parts.join(' '))
  console.error = (...parts: unknown[]) => err.push(parts.join(' '))
  try {
    return { code: await linkCommand(argv), out: out.join('\n'), err: err.join('\n') }
  } finally {
    console.log = log
    console.error = error
  }
}

test('lantern link dedupe on worker threads writes the same pairs and clusters as on one thread', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-link-'))
  try {
    const input = path.join(dir, 'records.csv')
    assert.equal((await run(['generate', '--persons', '900', '--seed', '4', '--output', input])).code, 0)
    const one = await run(['dedupe', '--input', input, '--output', path.join(dir, 'one.csv'), '--clusters', path.join(dir, 'one-clusters.csv'), '--threads', '1'])
    const two = await run(['dedupe', '--input', input, '--output', path.join(dir, 'two.csv'), '--clusters', path.join(dir, 'two-clusters.csv'), '--threads', '2'])
    assert.equal(one.code, 0, one.err)
    assert.equal(two.code, 0, two.err)
    assert.match(one.out, /one thread/)
    assert.match(two.out, /2 worker threads/)
    const pairs = readFileSync(path.join(dir, 'one.csv'), 'utf8')
    assert.match(pairs, /^record_id_l,record_id_r,match_weight,match_probability\n/)
    assert.ok(pairs.split('\n').length > 100, 'pairs written')
    assert.equal(readFileSync(path.join(dir, 'two.csv'), 'utf8'), pairs)
    assert.equal(readFileSync(path.join(dir, 'two-clusters.csv'), 'utf8'), readFileSync(path.join(dir, 'one-clusters.csv'), 'utf8'))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('lantern link dedupe refuses a bad --threads, naming it, and writes nothing', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-link-'))
  try {
    const input = path.join(dir, 'records.csv')
    await run(['generate', '--persons', '20', '--output', input])
    const result = await run(['dedupe', '--input', input, '--output', path.join(dir, 'pairs.csv'), '--threads', 'two'])
    assert.equal(result.code, 2)
    assert.match(result.err, /--threads must be a whole number from 1 to 64, not "two"/)
    assert.throws(() => readFileSync(path.join(dir, 'pairs.csv')))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
