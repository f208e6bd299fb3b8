import { test } from 'node:test'
import assert from 'node:assert/strict'
import { useBrowser } from './browser.ts'
import { ImportReportPage, ImportUploadPage } from './pages/imports-pages.ts'

// A council's missing-from-care lead uploads an SSDA903 Missing table: refused with the report, then imported in part.
const LEAD = 'missing.lead@kent.gov.example'
const header = 'CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\nE2E-1,M,14/03/2009,WBRI,UN1,,\r\nE2E-2,F,02/07/2008,BAFR,UN2,,\r\n'
const episodes =
  'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\r\n' +
  'E2E-1,10/06/2024,S,C2,N1,K2,PR4,,,,,,\r\nE2E-2,15/09/2024,S,V2,N4,U6,PR1,,,,,,\r\n'
const missing = 'CHILD,DOB,MISSING,MIS_START,MIS_END\r\nE2E-1,14/03/2009,A,01/07/2024,03/07/2024\r\nE2E-2,02/07/2008,X,01/02/2025,02/02/2025\r\n'

const browser = useBrowser()

test('upload an SSDA903 return: the report lists the problem with its rule, line and field; then import the rest', async () => {
  const page = await browser.signedIn(LEAD)
  const upload = await new ImportUploadPage(page).open()
  assert.equal(await upload.heading(), 'Import a file')
  await upload.checkAccessibility()

  await upload.upload({ format: 'ssda903', la: 'E10000016', year: '', files: [] })
  assert.deepEqual((await upload.errorSummary()).map((error) => error.href), ['#year', '#files'])
  await upload.checkAccessibility()

  const files = [{ name: 'header.csv', text: header }, { name: 'episodes.csv', text: episodes }, { name: 'missing.csv', text: missing }]
  await upload.upload({ format: 'ssda903', la: 'E10000016', year: '2025', files })
  const report = new ImportReportPage(page)
  assert.equal(await report.heading(), 'Import report')
  assert.match(await report.status(), /Refused/)
  assert.deepEqual(await report.issues(), [['1006', 'Missing type invalid.', 'Missing', '3', 'MISSING', 'E2E-2']])
  await report.checkAccessibility()

  await new ImportUploadPage(page).open()
  await upload.upload({ format: 'ssda903', la: 'E10000016', year: '2025', files, acceptValid: true })
  assert.match(await report.status(), /Imported in part/)
  assert.equal(await report.leftOut(), 'E2E-2')
  await report.checkAccessibility()
  assert.deepEqual(browser.consoleErrors, [])
})
