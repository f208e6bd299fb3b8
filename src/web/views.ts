import path from 'node:path'
import { createRequire } from 'node:module'
import nunjucks from 'nunjucks'

// Nunjucks with the GOV.UK Frontend and MOJ Frontend macros. Template names are paths from `src/`, so a page's
// template sits beside its code: `web/pages/home/home.njk`, `modules/statistics/views/table.njk`. GOV.UK and
// MOJ macros are imported as `govuk/components/button/macro.njk` and `moj/components/badge/macro.njk`.

const require = createRequire(import.meta.url)
export const SOURCE_DIR = path.resolve(import.meta.dirname, '..')
export const GOVUK_FRONTEND_DIR = path.dirname(require.resolve('govuk-frontend/package.json'))
export const MOJ_FRONTEND_DIR = path.dirname(require.resolve('@ministryofjustice/frontend/package.json'))

export function createViewEnvironment(options: { cache: boolean }): nunjucks.Environment {
  const loader = new nunjucks.FileSystemLoader(
    [SOURCE_DIR, path.join(GOVUK_FRONTEND_DIR, 'dist'), MOJ_FRONTEND_DIR],
    { noCache: !options.cache },
  )
  const env = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true })
  return env
}
