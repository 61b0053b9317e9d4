// readRequestDate(), formatAmzDate() and checkFreshness().
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { KmsError } from '../../wire/kms-error.js'
import { checkFreshness, formatAmzDate, readRequestDate } from './request-date.js'

function kmsError(name: string, message: string) {
  return (err: unknown) => {
    assert.ok(err instanceof KmsError)
    assert.equal(err.name, name)
    assert.equal(err.message, message)
    return true
  }
}

describe('readRequestDate()', () => {
  it('reads X-Amz-Date in ISO 8601 basic format', () => {
    assert.deepEqual(readRequestDate({ 'x-amz-date': '20150830T123600Z' }), {
      amzDate: '20150830T123600Z',
      at: new Date('2015-08-30T12:36:00Z'),
    })
  })

  it('reads each value afresh when requests alternate between dates, and a caller cannot change the next one', () => {
    const first = readRequestDate({ 'x-amz-date': '20150830T123600Z' })!
    first.at.setTime(0)
    for (const [text, iso] of [['20150830T123601Z', '2015-08-30T12:36:01Z'], ['20150830T123600Z', '2015-08-30T12:36:00Z'], ['20150830T123600Z', '2015-08-30T12:36:00Z']]) {
      assert.deepEqual(readRequestDate({ 'x-amz-date': text! }), { amzDate: text, at: new Date(iso!) })
    }
    assert.throws(() => readRequestDate({ 'x-amz-date': '20150830T123600' }), kmsError('IncompleteSignatureException',
      "Date must be in ISO-8601 'basic format'. Got '20150830T123600'. See http://en.wikipedia.org/wiki/ISO_8601"))
  })

  it('prefers X-Amz-Date over Date', () => {
    const date = readRequestDate({ 'x-amz-date': '20150830T123600Z', date: 'Mon, 31 Aug 2015 00:00:00 GMT' })
    assert.equal(date?.amzDate, '20150830T123600Z')
  })

  it('falls back to an RFC 1123 Date header, converting it to basic format', () => {
    assert.deepEqual(readRequestDate({ date: 'Sun, 30 Aug 2015 12:36:00 GMT' }), {
      amzDate: '20150830T123600Z',
      at: new Date('2015-08-30T12:36:00Z'),
    })
  })

  it('is undefined with neither header', () => {
    assert.equal(readRequestDate({ host: 'h' }), undefined)
  })

  it('rejects an X-Amz-Date that is not a real basic-format instant', () => {
    for (const bad of ['2015-08-30T12:36:00Z', '20150830T123600', '20151330T123600Z', '20150230T123600Z', '20150830T246000Z']) {
      assert.throws(
        () => readRequestDate({ 'x-amz-date': bad }),
        kmsError('IncompleteSignatureException', `Date must be in ISO-8601 'basic format'. Got '${bad}'. See http://en.wikipedia.org/wiki/ISO_8601`),
      )
    }
  })

  it('rejects a Date header that is not RFC 1123', () => {
    for (const bad of ['Sunday, 30-Aug-15 12:36:00 GMT', '2015-08-30T12:36:00Z', 'Sun, 30 Foo 2015 12:36:00 GMT', 'Sun, 31 Sep 2015 12:36:00 GMT']) {
      assert.throws(() => readRequestDate({ date: bad }), kmsError('IncompleteSignatureException', `Date must be in RFC 1123 format. Got '${bad}'.`))
    }
  })
})

describe('formatAmzDate()', () => {
  it('drops separators and milliseconds', () => {
    assert.equal(formatAmzDate(new Date('2024-01-02T03:04:05.678Z')), '20240102T030405Z')
  })
})

describe('checkFreshness()', () => {
  const now = new Date('2015-08-30T12:36:00Z')
  const at = (offsetMs: number) => {
    const date = new Date(now.getTime() + offsetMs)
    return { amzDate: formatAmzDate(date), at: date }
  }

  it('allows up to exactly 15 minutes either way', () => {
    for (const offset of [-900_000, -1, 0, 1, 900_000]) checkFreshness(at(offset), now)
  })

  it('rejects a signing time more than 15 minutes in the past', () => {
    assert.throws(
      () => checkFreshness(at(-901_000), now),
      kmsError('InvalidSignatureException', 'Signature expired: 20150830T122059Z is now earlier than 20150830T122100Z (20150830T123600Z - 15 min.)'),
    )
  })

  it('rejects a signing time more than 15 minutes in the future', () => {
    assert.throws(
      () => checkFreshness(at(901_000), now),
      kmsError('InvalidSignatureException', 'Signature not yet current: 20150830T125101Z is still later than 20150830T125100Z (20150830T123600Z + 15 min.)'),
    )
  })
})
