import { test } from 'node:test'
import assert from 'node:assert/strict'
import { addWorkingDays, bankHolidays, isWorkingDay, lastCoveredYear } from './working-days.ts'

/** Easter Sunday (anonymous Gregorian algorithm), to check the list's moveable feasts independently. */
function easterSunday(year: number): string {
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const h = (19 * a + b - Math.floor(b / 4) - Math.floor((b - Math.floor((b + 8) / 25) + 1) / 3) + 15) % 30
  const l = (32 + 2 * (b % 4) + 2 * Math.floor(c / 4) - h - (c % 4)) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

test('every bank holiday in the list is a weekday, in date order, with Good Friday and Easter Monday where Easter puts them', () => {
  const list = bankHolidays()
  assert.ok(list.length >= 80)
  for (const [index, holiday] of list.entries()) {
    const weekday = new Date(`${holiday.date}T00:00:00Z`).getUTCDay()
    assert.ok(weekday >= 1 && weekday <= 5, `${holiday.date} ${holiday.title} falls on a weekend`)
    if (index > 0) assert.ok(holiday.date > (list[index - 1]?.date ?? ''), `${holiday.date} is out of order`)
  }
  for (let year = 2018; year <= lastCoveredYear(); year += 1) {
    const easter = new Date(`${easterSunday(year)}T00:00:00Z`)
    const goodFriday = new Date(easter.getTime() - 2 * 86_400_000).toISOString().slice(0, 10)
    const easterMonday = new Date(easter.getTime() + 86_400_000).toISOString().slice(0, 10)
    assert.equal(list.find((holiday) => holiday.date === goodFriday)?.title, 'Good Friday', `${year}`)
    assert.equal(list.find((holiday) => holiday.date === easterMonday)?.title, 'Easter Monday', `${year}`)
  }
})

test('weekends and bank holidays are not working days', () => {
  assert.equal(isWorkingDay('2026-11-27'), true) // Friday
  assert.equal(isWorkingDay('2026-11-28'), false) // Saturday
  assert.equal(isWorkingDay('2026-11-29'), false) // Sunday
  assert.equal(isWorkingDay('2026-12-28'), false) // Monday, Boxing Day (substitute day)
  assert.equal(isWorkingDay('2022-09-19'), false) // the State Funeral of Queen Elizabeth II
})

test('5 working days: a weekend inside, a start on a weekend, and bank holidays inside', () => {
  assert.equal(addWorkingDays('2026-11-25', 5), '2026-12-02') // Wednesday -> Wednesday, over a weekend
  assert.equal(addWorkingDays('2026-11-28', 5), '2026-12-04') // Saturday -> Friday
  assert.equal(addWorkingDays('2026-04-02', 5), '2026-04-13') // Thursday before Easter: Good Friday and Easter Monday skipped
  assert.equal(addWorkingDays('2026-12-24', 5), '2027-01-05') // Christmas Day, Boxing Day (substitute), New Year's Day skipped
  assert.equal(addWorkingDays('2026-11-27', 0), '2026-11-27')
})
