// Tests for the wrk Lua script and the raw requests it replays.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { luaString, rawRequest, RESULT_MARKER, wrkScript } from './wrk-script.js'

describe('luaString()', () => {
  it('keeps printable ASCII and escapes quote, backslash and control bytes as three-digit decimals', () => {
    assert.equal(luaString(Buffer.from('a"b\\c\r\n')), '"a\\034b\\092c\\013\\010"')
  })

  it('never lets an escape swallow a following digit', () => {
    // "\n1" must not become \101 ('e'): the escape is always three digits.
    assert.equal(luaString(Buffer.from('\n1')), '"\\0101"')
  })

  it('escapes bytes above 0x7e', () => {
    assert.equal(luaString(Uint8Array.of(0x7f, 0xff, 0x41)), '"\\127\\255A"')
  })
})

describe('rawRequest()', () => {
  const body = Buffer.from('{"KeyId":"k"}')

  it('writes POST /, Host first, the given headers, Content-Length and the body', () => {
    const raw = Buffer.from(rawRequest('127.0.0.1:9', { 'x-amz-target': 'TrentService.Encrypt' }, body)).toString('latin1')
    assert.equal(raw, `POST / HTTP/1.1\r\nHost: 127.0.0.1:9\r\nx-amz-target: TrentService.Encrypt\r\nContent-Length: ${body.length}\r\n\r\n{"KeyId":"k"}`)
  })

  it('drops a host or content-length among the headers, so neither is sent twice', () => {
    const raw = Buffer.from(rawRequest('h:1', { host: 'other', 'Content-Length': '999', a: 'b' }, body)).toString('latin1')
    assert.equal(raw.match(/^host:/gim)?.length, 1)
    assert.equal(raw.match(/^content-length:/gim)?.length, 1)
    assert.match(raw, /^POST \/ HTTP\/1.1\r\nHost: h:1\r\n/)
    assert.match(raw, new RegExp(`Content-Length: ${body.length}\r\n`))
  })

  it('refuses a header value with a line break (it would split the request)', () => {
    assert.throws(() => rawRequest('h:1', { a: 'b\r\nX-Evil: 1' }, body), /line break/)
  })
})

describe('wrkScript()', () => {
  const pool = [Buffer.from('one'), Buffer.from('two')]

  it('holds every request once, cycles through them and prints the result line', () => {
    const lua = wrkScript({ requests: pool })
    assert.ok(lua.includes('"one",\n"two",'))
    assert.match(lua, /request = function\(\)\n {2}index = index % count \+ 1\n {2}return pool\[index\]\nend/)
    assert.ok(lua.includes(`"${RESULT_MARKER} requests=`))
  })

  it('defines no delay() without a rate: wrk would pace every request', () => {
    assert.doesNotMatch(wrkScript({ requests: pool }), /delay/)
  })

  it('paces with a send-slot interval of 1000 / rate ms per thread', () => {
    const lua = wrkScript({ requests: pool, ratePerThread: 400 })
    assert.match(lua, /local interval_ms = 2.5\n/)
    assert.match(lua, /\ndelay = function\(\)/)
  })

  it('rejects an empty pool and a non-positive or infinite rate', () => {
    assert.throws(() => wrkScript({ requests: [] }), RangeError)
    for (const rate of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) assert.throws(() => wrkScript({ requests: pool, ratePerThread: rate }), RangeError)
  })
})
