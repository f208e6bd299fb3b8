import { test } from 'node:test'
import assert from 'node:assert/strict'
import { TWENTY_MILES_IN_METRES, distanceMetres, metresToMiles, normalisePostcode, postcodeSector } from './geo.ts'

test('normalises every postcode shape to upper case with one space before the inward code', () => {
  assert.equal(normalisePostcode('sw1a1aa'), 'SW1A 1AA')
  assert.equal(normalisePostcode('  SW1A   1AA '), 'SW1A 1AA')
  assert.equal(normalisePostcode('m1 1ae'), 'M1 1AE')
  assert.equal(normalisePostcode('B33 8TH'), 'B33 8TH')
  assert.equal(normalisePostcode('CR2 6XH'), 'CR2 6XH')
  assert.equal(normalisePostcode('DN55 1PT'), 'DN55 1PT')
  assert.equal(normalisePostcode('W1A 0AX'), 'W1A 0AX')
  assert.equal(normalisePostcode('cf10\t1ep'), 'CF10 1EP')
})

test('refuses text that is not shaped like a full postcode', () => {
  const notPostcodes = ['', '   ', 'SW1A', 'SW1A 1', 'SW1A 1A', '1AA 1AA', 'SW1A 1AAA', 'ABC1 1AA', 'SW1A-1AA']
  for (const text of notPostcodes) {
    assert.equal(normalisePostcode(text), null, text)
  }
})

test('the sector is the outward code and the sector digit', () => {
  assert.equal(postcodeSector('SW1A 1AA'), 'SW1A 1')
  assert.equal(postcodeSector('m11ae'), 'M1 1')
  assert.equal(postcodeSector('TR21 0HE'), 'TR21 0')
})

test('a postcode already degraded to its sector keeps it, but only with its space', () => {
  assert.equal(postcodeSector('sw1a 1'), 'SW1A 1')
  assert.equal(postcodeSector(' M1  1 '), 'M1 1')
  assert.equal(postcodeSector('M11'), null)
  assert.equal(postcodeSector('SW1A'), null)
  assert.equal(postcodeSector('nonsense'), null)
})

test('distance is the straight line on the grid', () => {
  assert.equal(distanceMetres({ easting: 0, northing: 0 }, { easting: 3000, northing: 4000 }), 5000)
  assert.equal(distanceMetres({ easting: 529259, northing: 179826 }, { easting: 529259, northing: 179826 }), 0)
  const a = { easting: 384460, northing: 398429 }
  const b = { easting: 529259, northing: 179826 }
  assert.equal(distanceMetres(a, b), distanceMetres(b, a))
})

test('converts metres to statute miles, and twenty miles is 32,187 m', () => {
  assert.equal(metresToMiles(1609.344), 1)
  assert.equal(metresToMiles(0), 0)
  assert.equal(TWENTY_MILES_IN_METRES, Math.round(20 * 1609.344))
  assert.ok(Math.abs(metresToMiles(TWENTY_MILES_IN_METRES) - 20) < 0.001)
})
