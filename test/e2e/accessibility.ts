// axe-core, injected into the page under test: zero violations at WCAG 2.2 AA.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

const require = createRequire(import.meta.url)
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

// page.evaluate has no timeout of its own: a page that never answers would hang the spec without saying why.
const AXE_SECONDS = 60

async function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${AXE_SECONDS} s ${what}`)), AXE_SECONDS * 1000)
  })
  try {
    return await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
  }
}

interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[]; failureSummary?: string }[]
}

/** Runs axe on the page as it is now; throws naming every violation and the elements at fault. */
export async function checkAccessibility(page: Page): Promise<void> {
  await page.waitForLoadState('load')
  // Evaluated through the DevTools protocol, so the page's content security policy is not weakened for it.
  await withTimeout(page.evaluate(AXE_SOURCE), 'injecting axe-core')
  // This function runs in the page; the project's type check has no DOM library, so globalThis stands in.
  const violations = await withTimeout(page.evaluate(async (tags) => {
    const axe = (globalThis as unknown as { axe: { run: (context: unknown, options: object) => Promise<{ violations: AxeViolation[] }> } }).axe
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map((node) => ({ target: node.target, failureSummary: node.failureSummary })),
    }))
  }, TAGS), 'running axe-core')
  if (violations.length > 0) {
    const detail = violations
      .map((violation) => `${violation.id} (${violation.impact}): ${violation.help}\n${violation.nodes.map((node) => `    ${node.target.join(' ')}`).join('\n')}`)
      .join('\n')
    throw new Error(`${violations.length} accessibility violation(s) on ${page.url()}:\n${detail}`)
  }
}
