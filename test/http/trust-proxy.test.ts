// Behind a reverse proxy (TRUST_PROXY), the client is the one X-Forwarded-For names, for the rate
// limit, and the scheme and host are those X-Forwarded-Proto and -Host name, for the Popolo export's
// links. From anyone else, those headers are the client's own say-so and change nothing.
import t from 'tap'
import type { AppOptions } from '../../src/app.js'
import { seededApp } from '../helpers.js'

const PROXY = '10.0.0.7'
const fromProxy = (forwarded: Record<string, string>) => ({ url: '/v1/countries/BA', remoteAddress: PROXY, headers: forwarded })

t.test('the rate limit counts each client behind a trusted proxy apart, and everyone behind another as one', async (t) => {
  const rateLimit = { max: 1, timeWindowMs: 60_000 }
  const trusting = await seededApp(t, { rateLimit, trustProxy: ['10.0.0.0/8'] })
  t.equal((await trusting.inject(fromProxy({ 'x-forwarded-for': '203.0.113.1' }))).statusCode, 200)
  t.equal((await trusting.inject(fromProxy({ 'x-forwarded-for': '203.0.113.2' }))).statusCode, 200, 'another client: a bucket of its own')
  t.equal((await trusting.inject(fromProxy({ 'x-forwarded-for': '203.0.113.1' }))).statusCode, 429, 'the first client again: over its limit')

  const untrusting = await seededApp(t, { rateLimit })
  t.equal((await untrusting.inject(fromProxy({ 'x-forwarded-for': '203.0.113.1' }))).statusCode, 200)
  t.equal((await untrusting.inject(fromProxy({ 'x-forwarded-for': '203.0.113.2' }))).statusCode, 429, 'a forwarded address from an untrusted sender is not believed')
})

t.test("the Popolo export's links take the scheme and host a trusted proxy forwards, and no one else's", async (t) => {
  const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'directory.example.org' }
  const links = async (options: Omit<AppOptions, 'db'>) => {
    const app = await seededApp(t, options)
    const response = await app.inject({ url: '/v1/export/popolo.json', remoteAddress: PROXY, headers: { host: 'internal:3000', ...forwarded } })
    t.equal(response.statusCode, 200)
    return [...new Set(response.body.match(/https?:\/\/[^/"]+\/v1\/sources\//g))]
  }
  t.same(await links({ trustProxy: ['10.0.0.7'] }), ['https://directory.example.org/v1/sources/'])
  t.same(await links({}), ['http://internal:3000/v1/sources/'], 'without TRUST_PROXY, the request as the server received it')
  t.same(await links({ trustProxy: ['loopback'] }), ['http://internal:3000/v1/sources/'], 'nor from a sender outside the trusted ranges')
})
