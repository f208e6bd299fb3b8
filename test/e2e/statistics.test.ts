import { test } from 'node:test'
import assert from 'node:assert/strict'
import { useBrowser } from './browser.ts'
import { StatisticsPage } from './pages/statistics-page.ts'
import { financialYearEnding, londonDateOf } from '../../src/lib/dates.ts'

const ANALYST = 'analyst@kent.gov.example'

const browser = useBrowser()

test('an analyst reads the parliamentary question and a breakdown, each chart beside its table, with no script', async () => {
  const page = await browser.signedIn(ANALYST)
  const statistics = await new StatisticsPage(page).open()
  assert.equal(await statistics.heading(), 'National statistics')
  assert.match(await statistics.tableTitle(), /^Looked-after children who went missing for more than 24 hours/)
  const rows = await statistics.table()
  assert.deepEqual(rows[0]?.slice(0, 2), ['Year ending 31 March', 'Published answer (2013), children missing more than 24 hours'])
  assert.deepEqual(rows.slice(1).map((row) => [row[0], row[1]]), [['2005 to 06', '890'], ['2006 to 07', '970'], ['2007 to 08', '980'], ['2008 to 09', '930'], ['2009 to 10', '820'], ['2010 to 11', '950'], ['2011 to 12', '1,510']])
  assert.equal(await statistics.chartName(), await statistics.tableTitle())
  await statistics.checkAccessibility()

  await statistics.choose({ table: 'breakdown', yearFrom: '2020', yearTo: '2025', rows: 'sex', columns: 'traffickingStatus' })
  assert.match(await statistics.tableTitle(), /^Children who went missing, by sex and trafficking status/)
  assert.deepEqual((await statistics.downloadLinks()).map((href) => new URL(href, 'http://x').searchParams.get('format')), ['csv', 'xlsx'])
  await statistics.checkAccessibility()

  await statistics.choose({ yearFrom: '2025', yearTo: '2020' })
  const thisYear = financialYearEnding(londonDateOf(new Date()))
  assert.deepEqual(await statistics.errorSummary(), [{ text: `Must be a year from 2025 to ${thisYear}`, href: '#yearTo' }])
  await statistics.checkAccessibility()
  assert.deepEqual(browser.consoleErrors, [])
  await browser.closePage(page)
})
