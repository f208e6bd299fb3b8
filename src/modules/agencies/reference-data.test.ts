import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  localAuthorities,
  otherAgencies,
  policeForces,
  postcodeSectors,
  upperTierOfDistrict,
} from './reference-data.ts'

const ENGLISH_REGIONS = new Set([
  'North East',
  'North West',
  'Yorkshire and The Humber',
  'East Midlands',
  'West Midlands',
  'East of England',
  'London',
  'South East',
  'South West',
])

const activeCodes = (): Set<string> =>
  new Set(localAuthorities().filter((authority) => authority.active).map((authority) => authority.code))

const codes = (count: number, prefix: string): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(6, '0')}`)

test('lists the 43 territorial forces by their ONS police force area code, and British Transport Police', () => {
  const forces = policeForces()
  assert.deepEqual(
    forces.map((force) => force.code).sort(),
    [...codes(39, 'E23'), ...codes(4, 'W15'), 'BTP'].sort(),
  )
  assert.ok(forces.every((force) => force.kind === 'police_force' && force.active && force.contactPhone))
  const btp = forces.find((force) => force.code === 'BTP')
  assert.equal(btp?.nation, 'united_kingdom')
  assert.equal(btp?.region, null)
  assert.equal(forces.find((force) => force.code === 'E23000034')?.name, 'City of London Police')
})

test('Welsh forces carry their Welsh names and English forces an English region', () => {
  for (const force of policeForces().filter((force) => force.code !== 'BTP')) {
    if (force.code.startsWith('W')) {
      assert.equal(force.nation, 'wales')
      assert.equal(force.region, 'Wales')
      assert.match(force.welshName ?? '', /^Heddlu /)
    } else {
      assert.equal(force.nation, 'england')
      assert.equal(force.welshName, null)
      assert.ok(ENGLISH_REGIONS.has(force.region ?? ''), force.code)
    }
  }
  assert.equal(policeForces().find((force) => force.code === 'W15000001')?.welshName, 'Heddlu Gogledd Cymru')
})

test('lists 153 English and 22 Welsh upper-tier authorities in force, and the 5 replaced since 2021', () => {
  const authorities = localAuthorities()
  assert.equal(new Set(authorities.map((authority) => authority.code)).size, authorities.length)
  const active = authorities.filter((authority) => authority.active)
  assert.equal(active.filter((authority) => authority.nation === 'england').length, 153)
  assert.equal(active.filter((authority) => authority.nation === 'wales').length, 22)
  assert.deepEqual(
    authorities.filter((authority) => !authority.active).map((authority) => [authority.code, authority.replacedByCode]),
    [
      ['E08000016', 'E08000038'],
      ['E08000019', 'E08000039'],
      ['E10000006', 'E06000063;E06000064'],
      ['E10000023', 'E06000065'],
      ['E10000027', 'E06000066'],
    ],
  )
  assert.ok(authorities.every((authority) => authority.kind === 'local_authority' && authority.contactPhone === null))
  assert.equal(authorities.find((authority) => authority.code === 'E06000053')?.name, 'Isles of Scilly')
})

test('every replaced authority names successors that are in force', () => {
  const inForce = activeCodes()
  for (const authority of localAuthorities()) {
    if (authority.active) assert.equal(authority.replacedByCode, null, authority.code)
    else for (const code of authority.replacedByCode?.split(';') ?? []) assert.ok(inForce.has(code), code)
  }
})

test('English authorities have an ONS region; Welsh ones are in Wales with their Welsh names', () => {
  for (const authority of localAuthorities()) {
    if (authority.nation === 'wales') {
      assert.equal(authority.region, 'Wales')
      assert.ok(authority.welshName, authority.code)
    } else {
      assert.ok(ENGLISH_REGIONS.has(authority.region ?? ''), authority.code)
      assert.equal(authority.welshName, null)
    }
  }
  const byCode = (code: string) => localAuthorities().find((authority) => authority.code === code)
  assert.equal(byCode('W06000015')?.welshName, 'Caerdydd')
  assert.equal(byCode('E06000064')?.region, 'North West')
  assert.equal(byCode('E06000065')?.region, 'Yorkshire and The Humber')
  assert.equal(byCode('E06000019')?.name, 'Herefordshire, County of')
})

test('lists the competent authorities, the guardian service and the first responders', () => {
  assert.deepEqual(
    otherAgencies().map((agency) => [agency.code, agency.kind]),
    [
      ['SCA', 'competent_authority'],
      ['IECA', 'competent_authority'],
      ['ICTG', 'ictg_service'],
      ['FR-SALVATION-ARMY', 'first_responder'],
      ['FR-BARNARDOS', 'first_responder'],
      ['FR-NSPCC', 'first_responder'],
      ['FR-REFUGEE-COUNCIL', 'first_responder'],
      ['FR-MIGRANT-HELP', 'first_responder'],
    ],
  )
  assert.equal(otherAgencies().find((agency) => agency.code === 'ICTG')?.contactPhone, '0800 043 4303')
})

test('every English and Welsh postcode sector maps to an authority in force, and every authority hosts one', () => {
  const inForce = activeCodes()
  const hosts = new Set<string>()
  let mapped = 0
  for (const [sector, { districtCode }] of postcodeSectors()) {
    if (!/^[EW]/.test(districtCode)) continue
    const upperTier = upperTierOfDistrict().get(districtCode)
    assert.ok(upperTier && inForce.has(upperTier), `${sector} ${districtCode}`)
    hosts.add(upperTier)
    mapped += 1
  }
  assert.equal(postcodeSectors().size, 12_272)
  assert.equal(mapped, 10_747)
  assert.deepEqual([...inForce].filter((code) => !hosts.has(code)), [])
})

test('reads each file once and hands out data that cannot be changed', () => {
  assert.equal(policeForces(), policeForces())
  assert.equal(postcodeSectors(), postcodeSectors())
  assert.ok(Object.isFrozen(localAuthorities()))
  assert.ok(Object.isFrozen(localAuthorities()[0]))
})
