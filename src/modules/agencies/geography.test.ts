import { test } from 'node:test'
import assert from 'node:assert/strict'
import { authorityOfPostcode, placementGeography } from './geography.ts'

const NOTHING_KNOWN = {
  placementDistrictCode: null,
  hostAuthorityCode: null,
  distanceMiles: null,
  overTwentyMiles: null,
}

test('a Kent child placed in Manchester is placed out of area, over 20 miles from home', () => {
  assert.deepEqual(placementGeography('CT1 2EH', 'M1 1AE'), {
    placementDistrictCode: 'E08000003',
    hostAuthorityCode: 'E08000003',
    distanceMiles: 207,
    overTwentyMiles: true,
  })
})

test('two postcodes in one sector are 0 miles apart', () => {
  assert.deepEqual(placementGeography('SW1A 1AA', 'sw1a1ab'), {
    placementDistrictCode: 'E09000033',
    hostAuthorityCode: 'E09000033',
    distanceMiles: 0,
    overTwentyMiles: false,
  })
})

test('a placement within 20 miles is not over twenty miles, and one just beyond is', () => {
  const near = placementGeography('ME14 1XX', 'TN13 1AA')
  assert.equal(near.distanceMiles, 14.5)
  assert.equal(near.overTwentyMiles, false)
  const far = placementGeography('ME14 1XX', 'CT2 7NZ')
  assert.equal(far.distanceMiles, 24.1)
  assert.equal(far.overTwentyMiles, true)
})

test("a district's placement is hosted by its county, which runs children's services", () => {
  const geography = placementGeography(null, 'CT1 2EH')
  assert.equal(geography.placementDistrictCode, 'E07000106')
  assert.equal(geography.hostAuthorityCode, 'E10000016')
  assert.equal(geography.distanceMiles, null)
  assert.equal(geography.overTwentyMiles, null)
})

test('places postcodes in the authorities created in 2023 and recoded in 2024', () => {
  assert.equal(authorityOfPostcode('CA3 8QG'), 'E06000063')
  assert.equal(authorityOfPostcode('LA9 4DQ'), 'E06000064')
  assert.equal(authorityOfPostcode('HG1 2RH'), 'E06000065')
  assert.equal(authorityOfPostcode('TA1 1HE'), 'E06000066')
  assert.equal(authorityOfPostcode('S1 2HH'), 'E08000039')
})

test('places Welsh postcodes, the Isles of Scilly and postcodes already cut to their sector', () => {
  assert.equal(authorityOfPostcode('CF10 1EP'), 'W06000015')
  assert.equal(authorityOfPostcode('TR21 0HE'), 'E06000053')
  assert.equal(authorityOfPostcode('CT1 2'), 'E10000016')
})

test('outside England and Wales the district is known but there is no host authority', () => {
  const geography = placementGeography('SW1A 1AA', 'EH1 1YZ')
  assert.equal(geography.placementDistrictCode, 'S12000036')
  assert.equal(geography.hostAuthorityCode, null)
  assert.equal(geography.overTwentyMiles, true)
})

test('gives no distance between Northern Ireland (Irish Grid) and Great Britain, but does within it', () => {
  const acrossGrids = placementGeography('SW1A 1AA', 'BT1 5GS')
  assert.equal(acrossGrids.placementDistrictCode, 'N09000003')
  assert.equal(acrossGrids.distanceMiles, null)
  assert.equal(acrossGrids.overTwentyMiles, null)
  assert.equal(placementGeography('BT1 5GS', 'BT7 1NN').distanceMiles, 0.7)
})

test('missing, malformed or unknown postcodes give nulls, never an error', () => {
  assert.deepEqual(placementGeography(null, null), NOTHING_KNOWN)
  assert.deepEqual(placementGeography('CT1 2EH', ''), NOTHING_KNOWN)
  assert.deepEqual(placementGeography('CT1 2EH', 'not a postcode'), NOTHING_KNOWN)
  // Shaped like a postcode, but no such sector.
  assert.deepEqual(placementGeography('CT1 2EH', 'ZZ99 9ZZ'), NOTHING_KNOWN)
  const unknownHome = placementGeography('ZZ99 9ZZ', 'M1 1AE')
  assert.equal(unknownHome.hostAuthorityCode, 'E08000003')
  assert.equal(unknownHome.distanceMiles, null)
  assert.equal(unknownHome.overTwentyMiles, null)
  assert.equal(authorityOfPostcode(null), null)
  assert.equal(authorityOfPostcode('ZZ99 9ZZ'), null)
})
