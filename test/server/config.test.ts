// The configuration's bounds that the OpenAPI document states (CORS origins, rate limits), checked
// in-process; the real-process start-up tests in server.test.ts cover the messages end to end.
import t from 'tap'
import { ConfigError, loadConfig, MAX_ORIGIN_LENGTH, MAX_RATE_LIMIT, MAX_RATE_LIMIT_WINDOW_MS } from '../../src/config.js'

t.test('an origin longer than any host name allows is refused', async (t) => {
  const longest = `https://${'a'.repeat(MAX_ORIGIN_LENGTH - 'https://'.length - ':65535'.length)}:65535`
  t.equal(longest.length, MAX_ORIGIN_LENGTH)
  t.same(loadConfig({ CORS_ORIGINS: longest }, '/').corsOrigins, [longest], 'the longest origin is accepted')
  t.throws(() => loadConfig({ CORS_ORIGINS: `https://${'a'.repeat(300)}.org` }, '/'), ConfigError, 'a longer one is not')
})

t.test('the rate limit settings stay within the bounds the document states', async (t) => {
  t.equal(loadConfig({ RATE_LIMIT_MAX: String(MAX_RATE_LIMIT), RATE_LIMIT_WINDOW_MS: String(MAX_RATE_LIMIT_WINDOW_MS) }, '/').rateLimit.max, MAX_RATE_LIMIT)
  t.throws(() => loadConfig({ RATE_LIMIT_MAX: String(MAX_RATE_LIMIT + 1) }, '/'), ConfigError)
  t.throws(() => loadConfig({ RATE_LIMIT_WINDOW_MS: String(MAX_RATE_LIMIT_WINDOW_MS + 1) }, '/'), ConfigError)
})

t.test('the count cache holds 1000 counts unless told otherwise, none with 0', async (t) => {
  t.equal(loadConfig({}, '/').countCacheSize, 1000)
  t.equal(loadConfig({ COUNT_CACHE_SIZE: '0' }, '/').countCacheSize, 0)
  t.throws(() => loadConfig({ COUNT_CACHE_SIZE: '-1' }, '/'), /Invalid COUNT_CACHE_SIZE "-1": expected an integer from 0 to 1000000 \(0 turns the cache off\)/)
})
