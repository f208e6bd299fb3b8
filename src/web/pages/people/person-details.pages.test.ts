import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { personBody, startTestKit, type TestAgency, type TestKit, type TestUser } from '../../../../test/kit.ts'
import { errorSummary, webClient, type WebClient } from '../../../../test/web-client.ts'
import { addDays, londonDateOf } from '../../../lib/dates.ts'

// Changing a person's details and adding a photo through the pages, over a real database: the owning force
// changes names, date of birth, nationalities, description and the suspected-trafficking flag, and adds a photo;
// another force gets 404, a reader outside the owning agency 403; forged, stale and bad forms change nothing.

const today = londonDateOf(new Date())
const daysAgo = (days: number) => addDays(today, -days)
// A real 1x1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64')

/** The form as the edit page sends it for the kit's person, with the given answers replacing its own. */
function form(version: string, answers: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    version,
    'name-0-kind': 'given', 'name-0-text': 'Van An', 'name-0-script': 'Latn', 'name-0-transliteration': '',
    'name-1-kind': 'family', 'name-1-text': 'Nguyễn', 'name-1-script': 'Latn', 'name-1-transliteration': 'Nguyen',
    'name-2-kind': '', 'name-2-text': '', 'name-2-script': '', 'name-2-transliteration': '',
    'name-3-kind': '', 'name-3-text': '', 'name-3-script': '', 'name-3-transliteration': '',
    sex: 'male', 'dob-day': '1', 'dob-month': '1', 'dob-year': '2008', dobRange: 'yes',
    'dobLatest-day': '31', 'dobLatest-month': '12', 'dobLatest-year': '2008', dobSource: 'assessed',
    nationalities: 'VNM', heightCm: '', build: '', hair: '', eyes: '', distinguishingMarks: '', notes: '',
    ...answers,
  }
}

const versionOn = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? ''

describe('person details and photo pages', () => {
  let kit: TestKit
  let force: TestAgency
  let officer: TestUser
  let otherOfficer: TestUser
  let guardian: TestUser
  let guardianService: TestAgency

  before(async () => {
    kit = await startTestKit()
    force = await kit.agency('police_force')
    officer = await kit.user(force, ['police_officer'])
    otherOfficer = await kit.user(await kit.agency('police_force'), ['police_officer'])
    guardianService = await kit.agency('ictg_service')
    guardian = await kit.user(guardianService, ['ictg_guardian'])
  })
  after(() => kit.close())

  async function newPerson(): Promise<string> {
    const created = await kit.request(officer, { method: 'POST', url: '/api/v1/people', payload: personBody() })
    assert.equal(created.statusCode, 201, created.body)
    return created.json().id as string
  }

  const record = (personId: string) => kit.services.people.get(officer.actor, personId)
  const updates = async (personId: string) =>
    (await kit.db.selectFrom('audit_event').select(['detail', 'actor_user_id']).where('subject_person_id', '=', personId).where('action', '=', 'UPDATE_PERSON').execute())
      .map((row) => ({ fields: (JSON.parse(row.detail ?? '{}') as { fields?: string[] }).fields, by: row.actor_user_id }))

  async function editPage(web: WebClient, personId: string) {
    const page = await web.get(`/people/${personId}/edit`)
    assert.equal(page.statusCode, 200, page.body)
    return page
  }

  test('the owner changes names, date of birth, nationalities, description and the trafficking flag with its date; only the parts changed are sent and audited', async () => {
    const personId = await newPerson()
    const web = await webClient(kit, officer)
    const person = await web.get(`/people/${personId}`)
    assert.match(person.body, new RegExp(`href="/people/${personId}/edit" data-testid="change-details"`))
    assert.doesNotMatch(person.body, /Suspected of being trafficked since/)
    const page = await editPage(web, personId)
    assert.match(page.body, /<h1 class="govuk-heading-l">Change personal details<\/h1>/)
    assert.match(page.body, /id="name-1-text" name="name-1-text" type="text" spellcheck="false" value="Nguyễn"/)
    assert.match(page.body, /id="dobRange" name="dobRange" type="checkbox" value="yes" checked/, 'an assessed year of birth is a range')
    assert.match(page.body, /id="dobLatest-day" name="dobLatest-day" type="text" value="31"/)
    assert.match(page.body, /id="name-3-text"/, 'two empty rows for adding names')

    const since = daysAgo(12)
    const [year, month, day] = since.split('-')
    const saved = await web.post(`/people/${personId}/edit`, form(versionOn(page.body), {
      'name-2-kind': 'alias', 'name-2-text': 'محمد', 'name-2-transliteration': 'Muhammad',
      'dob-month': '3', 'dobLatest-month': '9', 'dobLatest-day': '30',
      nationalities: 'vnm, eri', heightCm: '152', hair: 'Black, short',
      flags: ['suspectedTrafficking'], 'suspectedTraffickingSince-day': String(Number(day)), 'suspectedTraffickingSince-month': String(Number(month)), 'suspectedTraffickingSince-year': year ?? '',
    }))
    assert.equal(saved.statusCode, 303, saved.body)
    assert.equal(saved.headers.location, `/people/${personId}?saved=details`)

    const after = await record(personId)
    assert.deepEqual(after.names.map((name) => [name.kind, name.text, name.script, name.transliteration]), [
      ['given', 'Van An', 'Latn', null],
      ['family', 'Nguyễn', 'Latn', 'Nguyen'],
      ['alias', 'محمد', 'Arab', 'Muhammad'],
    ], 'a blank script is worked out from the name')
    assert.deepEqual(after.dateOfBirth, { earliest: '2008-03-01', latest: '2008-09-30', source: 'assessed' })
    assert.deepEqual(after.nationalities, ['VNM', 'ERI'])
    assert.equal(after.description.heightCm, 152)
    assert.equal(after.description.hair, 'Black, short')
    assert.equal(after.sex, 'male')
    assert.deepEqual(after.flags, { unaccompanied: false, suspectedTrafficking: true, suspectedTraffickingSince: since, restrictedLocation: false })
    assert.deepEqual(await updates(personId), [{ fields: ['names', 'dateOfBirth', 'nationalities', 'description', 'flags'], by: officer.id }], 'sex and age were not changed, so not sent')

    const shown = await web.get(String(saved.headers.location))
    assert.match(shown.body, /The personal details have been saved/)
    assert.match(shown.body, /Suspected of being trafficked since\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*\d{1,2} \w+ \d{4}/)
    assert.match(shown.body, /lang="und-Arab">محمد</)

    // An exact date, documented; the flag turned off clears its date.
    const again = await editPage(web, personId)
    assert.match(again.body, /name="suspectedTraffickingSince-day" type="text" value="\d+"/, 'the day suspicion began is shown for correction')
    const exact = await web.post(`/people/${personId}/edit`, form(versionOn(again.body), {
      'name-2-kind': 'alias', 'name-2-text': 'محمد', 'name-2-transliteration': 'Muhammad', nationalities: 'VNM ERI', heightCm: '152', hair: 'Black, short',
      dobRange: [], 'dob-day': '14', 'dob-month': '3', 'dob-year': '2008', dobSource: 'documented', ageDisputed: 'yes',
    }))
    assert.equal(exact.statusCode, 303, exact.body)
    const final = await record(personId)
    assert.deepEqual(final.dateOfBirth, { earliest: '2008-03-14', latest: '2008-03-14', source: 'documented' })
    assert.equal(final.ageDisputed, true)
    assert.deepEqual(final.flags, { unaccompanied: false, suspectedTrafficking: false, suspectedTraffickingSince: null, restrictedLocation: false })
    assert.deepEqual((await updates(personId)).at(-1)?.fields, ['dateOfBirth', 'ageDisputed', 'flags'])

    // Saving what is already recorded changes nothing and says so.
    const same = await editPage(web, personId)
    const unchanged = await web.post(`/people/${personId}/edit`, form(versionOn(same.body), {
      'name-2-kind': 'alias', 'name-2-text': 'محمد', 'name-2-script': 'Arab', 'name-2-transliteration': 'Muhammad', nationalities: 'VNM, ERI', heightCm: '152', hair: 'Black, short',
      dobRange: [], 'dob-day': '14', 'dob-month': '3', 'dob-year': '2008', dobSource: 'documented', ageDisputed: 'yes',
    }))
    assert.equal(unchanged.headers.location, `/people/${personId}?saved=unchanged`)
    assert.equal((await updates(personId)).length, 2)
    assert.equal((await record(personId)).version, final.version)

    const welsh = await kit.app.inject({ method: 'GET', url: `/people/${personId}/edit`, headers: { cookie: `${web.cookieHeader()}; lantern_language=cy` } })
    assert.match(welsh.body, /Newid manylion personol/)
  })

  test('bad answers get the error pattern with the answers kept, naming each field; the service’s rules land on their fields; nothing changes', async () => {
    const personId = await newPerson()
    const web = await webClient(kit, officer)
    const version = versionOn((await editPage(web, personId)).body)
    const before = await record(personId)

    const bad = await web.post(`/people/${personId}/edit`, form(version, {
      'name-0-text': '', 'name-1-text': 'Nguyễn', 'name-1-script': 'Vietnamese', 'name-2-transliteration': 'Muhammad',
      sex: '', 'dobLatest-day': '', 'dobLatest-month': '', 'dobLatest-year': '', nationalities: 'Vietnam', heightCm: 'tall',
    }))
    assert.equal(bad.statusCode, 400)
    assert.match(bad.body, /<title>Error: Change personal details/)
    assert.deepEqual(errorSummary(bad.body), [
      { text: 'Enter the script of name 2 as a four-letter code, like Latn or Arab', href: '#name-1-script' },
      { text: 'Enter name 3 as it is written, or clear its spelling in Latin letters', href: '#name-2-text' },
      { text: 'Select the person’s sex', href: '#sex' },
      { text: 'Enter the latest date of birth', href: '#dobLatest-day' },
      { text: 'Enter each nationality as a three-letter code, like VNM', href: '#nationalities' },
      { text: 'Height must be a whole number between 30 and 250', href: '#heightCm' },
    ])
    assert.match(bad.body, /id="nationalities" name="nationalities" type="text" spellcheck="false" value="Vietnam" aria-describedby="nationalities-hint nationalities-error"/, 'the answer is kept')
    assert.match(bad.body, /id="name-1-script-error"/)

    // Answers the form accepts and the people service refuses: each shown on its own field.
    const refused = await web.post(`/people/${personId}/edit`, form(version, {
      'dob-year': '2009', 'dobLatest-year': '2008',
      flags: ['suspectedTrafficking'], 'suspectedTraffickingSince-day': '1', 'suspectedTraffickingSince-month': '1', 'suspectedTraffickingSince-year': String(Number(today.slice(0, 4)) + 1),
    }))
    assert.equal(refused.statusCode, 400, refused.body)
    assert.deepEqual(errorSummary(refused.body), [{ text: 'The latest date of birth must not be before the earliest', href: '#dobLatest-day' }], 'the date of birth rules are checked before the flags')
    const future = await web.post(`/people/${personId}/edit`, form(version, {
      flags: ['suspectedTrafficking'], 'suspectedTraffickingSince-day': '1', 'suspectedTraffickingSince-month': '1', 'suspectedTraffickingSince-year': String(Number(today.slice(0, 4)) + 1),
    }))
    assert.deepEqual(errorSummary(future.body), [{ text: 'The day suspicion began must not be in the future', href: '#suspectedTraffickingSince-day' }])
    const stated = await web.post(`/people/${personId}/edit`, form(version, { dobSource: 'stated' }))
    assert.deepEqual(errorSummary(stated.body), [{ text: 'A stated date of birth is one day: earliest and latest must be the same', href: '#dobLatest-day' }])
    const latestOnly = await web.post(`/people/${personId}/edit`, form(version, { 'dob-day': '', 'dob-month': '', 'dob-year': '' }))
    assert.deepEqual(errorSummary(latestOnly.body), [{ text: 'Enter the earliest date of birth', href: '#dob-day' }])
    const noNames = await web.post(`/people/${personId}/edit`, form(version, { 'name-0-text': '', 'name-1-text': '', 'name-1-transliteration': '' }))
    assert.deepEqual(errorSummary(noNames.body), [{ text: 'Enter at least one name', href: '#name-0-text' }])
    const brokenVersion = await web.post(`/people/${personId}/edit`, form('abc', { sex: 'female' }))
    assert.deepEqual(errorSummary(brokenVersion.body), [{ text: 'The page was out of date: check the details and save them again', href: '#save' }])

    const after = await record(personId)
    assert.equal(after.version, before.version)
    assert.deepEqual(after.names, before.names)
    assert.deepEqual(await updates(personId), [])
  })

  test('another force gets 404, a reader outside the owning agency 403, a form without its CSRF token 403, a stale version 409: nothing changes', async () => {
    const personId = await newPerson()
    const web = await webClient(kit, officer)
    const version = versionOn((await editPage(web, personId)).body)

    const outsider = await webClient(kit, otherOfficer)
    assert.equal((await outsider.get(`/people/${personId}/edit`)).statusCode, 404)
    assert.equal((await outsider.get(`/people/${personId}/photos/new`)).statusCode, 404)
    assert.equal((await outsider.post(`/people/${personId}/edit`, form(version, { sex: 'female' }))).statusCode, 404)
    assert.equal((await outsider.postMultipart(`/people/${personId}/photos/new`, {}, [{ field: 'photo', filename: 'a.png', contentType: 'image/png', bytes: PNG }])).statusCode, 404)

    // The assigned guardian reads the child (with a purpose) but may not change it.
    const assigned = await kit.request(officer, { method: 'POST', url: `/api/v1/people/${personId}/guardian-assignments`, payload: { guardianAgencyId: guardianService.id, guardianUserId: guardian.id, role: 'direct_worker', allocatedOn: daysAgo(1) } })
    assert.equal(assigned.statusCode, 201, assigned.body)
    const reader = await webClient(kit, guardian)
    const asked = await reader.get(`/people/${personId}`)
    assert.equal(asked.statusCode, 403, 'the purpose page')
    assert.equal((await reader.post('/purpose', { personId, returnTo: `/people/${personId}`, purpose: 'ICTG casework' })).statusCode, 303)
    const read = await reader.get(`/people/${personId}`)
    assert.equal(read.statusCode, 200)
    assert.doesNotMatch(read.body, /data-testid="change-details"|data-testid="add-photo"/)
    const refusedPage = await reader.get(`/people/${personId}/edit`)
    assert.equal(refusedPage.statusCode, 403)
    assert.match(refusedPage.body, /Only the agency that recorded this person can change it/)
    assert.equal((await reader.post(`/people/${personId}/edit`, form(version, { sex: 'female' }))).statusCode, 403)
    assert.equal((await reader.postMultipart(`/people/${personId}/photos/new`, {}, [{ field: 'photo', filename: 'a.png', contentType: 'image/png', bytes: PNG }])).statusCode, 403)

    const forged = await web.post(`/people/${personId}/edit`, form(version, { sex: 'female' }), { csrf: null })
    assert.equal(forged.statusCode, 403)
    assert.match(forged.body, /Your form could not be sent/)
    assert.equal((await web.postMultipart(`/people/${personId}/photos/new`, {}, [{ field: 'photo', filename: 'a.png', contentType: 'image/png', bytes: PNG }], { csrf: null })).statusCode, 403)

    // Someone else changes the record after the form was read.
    const meanwhile = await kit.services.people.update(officer.actor, personId, { version: Number(version), description: { notes: 'Seen in Dover' } })
    const stale = await web.post(`/people/${personId}/edit`, form(version, { sex: 'female' }))
    assert.equal(stale.statusCode, 409)
    assert.match(stale.body, /This record has changed/)

    const after = await record(personId)
    assert.equal(after.sex, 'male')
    assert.equal(after.version, meanwhile.version)
    assert.deepEqual(after.photos, [])
    assert.equal((await updates(personId)).length, 1, 'only the change made meanwhile')
  })

  test('a photo is uploaded and shown; a wrong type, a file whose bytes are not the image it claims, an oversized file or none gets a field error and adds nothing', async () => {
    const personId = await newPerson()
    const web = await webClient(kit, officer)
    const person = await web.get(`/people/${personId}`)
    assert.match(person.body, new RegExp(`href="/people/${personId}/photos/new" data-testid="add-photo"`))
    const page = await web.get(`/people/${personId}/photos/new`)
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /enctype="multipart\/form-data"/)
    const upload = (files: Parameters<WebClient['postMultipart']>[2], fields: Record<string, string> = {}) => web.postMultipart(`/people/${personId}/photos/new`, fields, files)

    const cases: [string, Parameters<WebClient['postMultipart']>[2], string][] = [
      ['no file', [], 'Select a photo'],
      ['an empty file input', [{ field: 'photo', filename: '', contentType: 'application/octet-stream', bytes: new Uint8Array() }], 'Select a photo'],
      ['a text file', [{ field: 'photo', filename: 'notes.txt', contentType: 'text/plain', bytes: Buffer.from('not a photo') }], 'The selected file must be a JPEG, PNG or WebP image'],
      ['a PDF named as a PNG', [{ field: 'photo', filename: 'photo.png', contentType: 'image/png', bytes: Buffer.from('%PDF-1.7 not an image') }], 'The selected file must be a JPEG, PNG or WebP image'],
      ['a file over 2 MB', [{ field: 'photo', filename: 'big.jpg', contentType: 'image/jpeg', bytes: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(2 * 1024 * 1024)]) }], 'The selected file must be smaller than 2 MB'],
    ]
    for (const [what, files, message] of cases) {
      await web.get(`/people/${personId}/photos/new`)
      const refused = await upload(files, { caption: 'Kept' })
      assert.equal(refused.statusCode, 400, what)
      assert.deepEqual(errorSummary(refused.body)[0], { text: message, href: '#photo' }, what)
      assert.match(refused.body, /id="caption" name="caption" type="text" value="Kept"/, `${what}: the answers are kept`)
    }
    const badDate = await upload([{ field: 'photo', filename: 'p.png', contentType: 'image/png', bytes: PNG }], { 'takenOn-day': '31', 'takenOn-month': '2', 'takenOn-year': '2024' })
    assert.deepEqual(errorSummary(badDate.body), [{ text: 'The date the photo was taken must be a real date', href: '#takenOn-day' }])
    assert.deepEqual((await record(personId)).photos, [])
    assert.equal(await kit.db.selectFrom('audit_event').select('seq').where('subject_person_id', '=', personId).where('action', '=', 'ADD_PHOTO').executeTakeFirst(), undefined)

    await web.get(`/people/${personId}/photos/new`)
    const saved = await upload([{ field: 'photo', filename: 'face.png', contentType: 'image/png', bytes: PNG }], { caption: 'At the station', 'takenOn-day': '2', 'takenOn-month': '5', 'takenOn-year': '2025' })
    assert.equal(saved.statusCode, 303, saved.body)
    assert.equal(saved.headers.location, `/people/${personId}?saved=photo`)
    const photos = (await record(personId)).photos
    assert.equal(photos.length, 1)
    assert.deepEqual({ ...photos[0], id: undefined }, { id: undefined, contentType: 'image/png', takenOn: '2025-05-02', caption: 'At the station' })
    const shown = await web.get(String(saved.headers.location))
    assert.match(shown.body, /The photo has been added/)
    assert.match(shown.body, new RegExp(`<img class="lantern-photo" src="/people/${personId}/photos/${photos[0]?.id}"`))
    const image = await web.get(`/people/${personId}/photos/${photos[0]?.id}`)
    assert.equal(image.headers['content-type'], 'image/png')
    assert.deepEqual(image.rawPayload, PNG)
    const audit = await kit.db.selectFrom('audit_event').select(['record_id', 'actor_user_id']).where('subject_person_id', '=', personId).where('action', '=', 'ADD_PHOTO').execute()
    assert.deepEqual(audit, [{ record_id: photos[0]?.id, actor_user_id: officer.id }])
  })
})
