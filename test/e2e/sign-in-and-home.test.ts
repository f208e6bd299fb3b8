import { test } from 'node:test'
import assert from 'node:assert/strict'
import { openBrowser, useBrowser } from './browser.ts'
import { SignInPage } from './pages/sign-in-page.ts'
import { HomePage } from './pages/home-page.ts'
import { ListPage } from './pages/list-page.ts'
import { DEMO_PASSWORD } from '../../src/modules/demo/demo.seed.ts'

const COORDINATOR = 'coordinator@kent.police.example'
const SOCIAL_WORKER = 'social.worker@kent.gov.example'
const RISK_ORDER = ['High risk', 'Medium risk', 'Low risk', 'Very low risk', 'Not graded']

const browser = useBrowser()

test('a page needs a sign-in, and the sign-in form shows the GOV.UK error pattern for empty and malformed answers', async () => {
  const page = await browser.newPage()
  await page.goto('/episodes?open=true')
  const signIn = new SignInPage(page)
  assert.equal(signIn.path(), '/sign-in')
  assert.equal(await signIn.heading(), 'Sign in to Lantern')
  await signIn.checkAccessibility()

  await signIn.signIn('', '')
  assert.match(await signIn.title(), /^Error: Sign in to Lantern/)
  assert.equal(await signIn.errorSummaryTitle(), 'There is a problem')
  assert.deepEqual(await signIn.errorSummary(), [
    { text: 'Enter your email address', href: '#email' },
    { text: 'Enter your password', href: '#password' },
  ])
  assert.equal(await signIn.fieldError('email'), 'Enter your email address')
  await signIn.checkAccessibility()

  await signIn.signIn('not-an-email', 'whatever-password')
  assert.deepEqual(await signIn.errorSummary(), [{ text: 'Enter an email address in the correct format, like name@example.gov.uk', href: '#email' }])
  assert.equal(await signIn.emailValue(), 'not-an-email', 'the answer is kept')

  await signIn.signIn(COORDINATOR, 'a wrong password')
  assert.deepEqual(await signIn.errorSummary(), [{ text: 'The email address or password is not right', href: '#email' }])
  assert.equal(await signIn.emailValue(), COORDINATOR)
  assert.equal(await signIn.passwordValue(), '', 'the password is never sent back')

  await signIn.signIn(COORDINATOR, DEMO_PASSWORD)
  assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, '/episodes?open=true', 'back to the page asked for')
  await browser.closePage(page)
})

test("police home: the force's open cases, high risk first, and every count links to its list", async () => {
  const page = await browser.signedIn(COORDINATOR)
  const home = new HomePage(page)
  assert.equal(await home.heading(), 'Open cases for Kent Police')
  assert.equal(await home.liveBoard().getAttribute('data-live-board'), 'police', 'the hook for live updates is there')
  await home.checkAccessibility()

  const rows = await home.boardRows()
  assert.ok(rows.length > 0, 'the demo force has open cases')
  const ranks = rows.map((row) => RISK_ORDER.indexOf(row[1] ?? ''))
  assert.ok(ranks.every((rank) => rank >= 0), `every row shows a grade: ${rows.map((row) => row[1]).join(', ')}`)
  assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), 'high risk first')
  assert.match(rows[0]?.[2] ?? '', /hour|day/, 'time missing is shown')

  const counts = await home.counts()
  assert.deepEqual([...counts.keys()], ['open', 'high-risk', 'reviews-overdue', 'actions-overdue', 'alerts-open', 'tasks-due', 'tasks-overdue', 'tasks-done'])
  assert.ok((counts.get('open')?.value ?? 0) >= rows.length)
  for (const [id, count] of counts) {
    await home.open()
    await home.openCount(id)
    const list = new ListPage(page)
    assert.equal(await list.total(), count.value, `the ${id} list has as many cases as the count`)
    assert.equal(await list.rowCount(), Math.min(count.value, 20))
    await list.checkAccessibility()
  }
  assert.deepEqual(browser.consoleErrors, [], 'no console errors, so no script was blocked by the content security policy')
  await home.signOut()
  assert.equal(await home.heading(), 'You have signed out')
  await page.goto('/')
  assert.equal(new URL(page.url()).pathname, '/sign-in', 'signed out means signed out')
  await browser.closePage(page)
})

test('the language switch shows every part of the page in Welsh, and back', async () => {
  const page = await browser.signedIn(COORDINATOR)
  const home = new HomePage(page)
  await home.switchLanguage('Cymraeg')
  assert.equal(await page.locator('html').getAttribute('lang'), 'cy')
  assert.equal(await home.heading(), 'Achosion agored ar gyfer Kent Police')
  assert.match(await page.getByTestId('sign-out').innerText(), /Allgofnodi/)
  assert.match(await home.title(), /^Hafan - Lantern$/)
  await home.checkAccessibility()
  await home.switchLanguage('English')
  assert.equal(await page.locator('html').getAttribute('lang'), 'en')
  assert.equal(await home.heading(), 'Open cases for Kent Police')
  await home.signOut()
  await browser.closePage(page)
})

test('an expired session shows a clear page, and signing in again returns to the page', async () => {
  const page = await browser.signedIn(COORDINATOR)
  // Leave the home page first: its live board's requests would otherwise meet the dead session below and
  // clear the cookie (as the server does for any expired session) before the page asked for is loaded.
  await page.goto('about:blank')
  // The server no longer accepts the session (as when SESSION_HOURS have passed): replace it with a dead one.
  const cookies = await browser.context.cookies()
  const session = cookies.find((cookie) => cookie.name === 'lantern_session')
  assert.ok(session, 'the session cookie is set')
  assert.equal(session.httpOnly, true)
  assert.equal(session.sameSite, 'Lax')
  await browser.context.addCookies([{ ...session, value: 'lts_this-session-has-expired' }])
  await page.goto('/episodes?open=true&risk=high')
  const expired = new SignInPage(page)
  assert.equal(await expired.heading(), 'Your session has expired')
  await expired.checkAccessibility()
  await page.getByRole('button', { name: 'Sign in again' }).click()
  await expired.signIn(COORDINATOR, DEMO_PASSWORD)
  assert.equal(new URL(page.url()).search, '?open=true&risk=high')
  assert.equal(await expired.heading(), 'High risk open cases')
  await expired.signOut()
  await browser.closePage(page)
})

test('local authority home: children missing or away now, return home interviews due and overdue, each linking to its list', async () => {
  const page = await browser.signedIn(SOCIAL_WORKER)
  const home = new HomePage(page)
  assert.equal(await home.heading(), 'Looked-after children of Kent')
  await home.checkAccessibility()
  const counts = await home.counts()
  assert.deepEqual([...counts.keys()], ['missing', 'away', 'interviews-due', 'interviews-overdue', 'alerts-open', 'tasks-due', 'tasks-overdue', 'tasks-done'])
  for (const [id, count] of counts) {
    await home.open()
    await home.openCount(id)
    const list = new ListPage(page)
    assert.equal(await list.total(), count.value, `the ${id} list has as many as the count`)
    await list.checkAccessibility()
  }
  await home.signOut()
  await browser.closePage(page)
})

test('signing in and the home page work without JavaScript', async () => {
  const noScript = await openBrowser({ javaScriptEnabled: false })
  try {
    const page = await noScript.newPage()
    const signIn = new SignInPage(page)
    await signIn.open()
    await signIn.signIn('', '')
    assert.equal(await signIn.errorSummaryTitle(), 'There is a problem')
    await signIn.signIn(COORDINATOR, DEMO_PASSWORD)
    assert.equal(await new HomePage(page).heading(), 'Open cases for Kent Police')
    await new HomePage(page).signOut()
    assert.equal(await signIn.heading(), 'You have signed out')
  } finally {
    await noScript.close()
  }
})
