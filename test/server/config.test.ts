// The configuration's messages and bounds (those the OpenAPI document states: CORS origins, rate
// limits), checked in-process; server.test.ts checks a few end to end, in a real start-up.
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

t.test('the response cache holds 32 MB unless told otherwise, nothing with 0', async (t) => {
  t.equal(loadConfig({}, '/').responseCacheMb, 32)
  t.equal(loadConfig({ RESPONSE_CACHE_MB: '0' }, '/').responseCacheMb, 0)
  t.throws(() => loadConfig({ RESPONSE_CACHE_MB: '65537' }, '/'), /Invalid RESPONSE_CACHE_MB "65537": expected an integer from 0 to 65536 \(0 turns the cache off\)/)
})

t.test("SQLite's page cache is 8 MB for the server unless told otherwise, at least 1", async (t) => {
  t.equal(loadConfig({}, '/').pageCacheMb, 8)
  t.equal(loadConfig({ PAGE_CACHE_MB: '64' }, '/').pageCacheMb, 64)
  t.throws(() => loadConfig({ PAGE_CACHE_MB: '0' }, '/'), /Invalid PAGE_CACHE_MB "0": expected an integer from 1 to 65536/)
})

t.test('TRUST_PROXY names the reverse proxies to believe, by address, range or range name; none by default', async (t) => {
  t.equal(loadConfig({}, '/').trustProxy, false)
  t.equal(loadConfig({ TRUST_PROXY: ' ' }, '/').trustProxy, false)
  t.same(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.2,::1, fd00::/8,loopback,' }, '/').trustProxy, ['10.0.0.0/8', '192.168.1.2', '::1', 'fd00::/8', 'loopback'])
})

t.test('an invalid setting is refused with one line naming the variable', async (t) => {
  const cases: [NodeJS.ProcessEnv, RegExp][] = [
    [{ PORT: 'eighty' }, /^Invalid PORT "eighty": expected an integer from 0 to 65535$/],
    [{ PORT: '70000' }, /^Invalid PORT "70000"/],
    [{ HOST: 'not a host' }, /^Invalid HOST "not a host"/],
    [{ LOG_LEVEL: 'loud' }, /^Invalid LOG_LEVEL "loud": expected one of fatal, error, warn, info, debug, trace, silent$/],
    [{ DATABASE_PATH: ' ' }, /^Invalid DATABASE_PATH " ": expected a file path or :memory:$/],
    [{ HEADERS_TIMEOUT_MS: '5s' }, /^Invalid HEADERS_TIMEOUT_MS "5s": expected an integer from 0 to 3600000 \(milliseconds, 0 for no limit\)$/],
    [{ HEADERS_TIMEOUT_MS: '20000' }, /^Invalid HEADERS_TIMEOUT_MS "20000": expected at most REQUEST_TIMEOUT_MS \(10000\)$/],
    [{ REQUEST_TIMEOUT_MS: '3600001' }, /^Invalid REQUEST_TIMEOUT_MS "3600001": expected an integer from 0 to 3600000 /],
    [{ KEEP_ALIVE_TIMEOUT_MS: '-1' }, /^Invalid KEEP_ALIVE_TIMEOUT_MS "-1": expected an integer from 0 to 3600000 /],
    [{ CONNECTION_TIMEOUT_MS: '1.5' }, /^Invalid CONNECTION_TIMEOUT_MS "1.5": expected an integer from 0 to 3600000 /],
    [{ SHUTDOWN_GRACE_MS: '' }, /^Invalid SHUTDOWN_GRACE_MS "": expected an integer from 0 to 3600000 /],
    [{ CORS_ORIGINS: 'example.org' }, /^Invalid CORS_ORIGINS "example.org": "example.org" is not an origin like https:\/\/example.org \(scheme, host and optional port only\)$/],
    [{ CORS_ORIGINS: 'https://example.org,https://example.net/' }, /^Invalid CORS_ORIGINS "https:\/\/example.org,https:\/\/example.net\/": "https:\/\/example.net\/" is not an origin/],
    [{ CORS_ORIGINS: '*' }, /^Invalid CORS_ORIGINS "\*": "\*" is not an origin/],
    [{ TRUST_PROXY: 'true' }, /^Invalid TRUST_PROXY "true": "true" is not an IP address, a range like 10.0.0.0\/8, or one of loopback, linklocal, uniquelocal$/],
    [{ TRUST_PROXY: '10.0.0.0/33' }, /^Invalid TRUST_PROXY "10.0.0.0\/33": "10.0.0.0\/33" is not/],
    [{ TRUST_PROXY: '::1/129' }, /^Invalid TRUST_PROXY "::1\/129"/],
    [{ TRUST_PROXY: '10.0.0.0/8/8' }, /^Invalid TRUST_PROXY "10.0.0.0\/8\/8"/],
    [{ TRUST_PROXY: 'proxy.example.org' }, /^Invalid TRUST_PROXY "proxy.example.org"/],
    [{ TRUST_PROXY: '10.0.0.0/x' }, /^Invalid TRUST_PROXY "10.0.0.0\/x"/],
    [{ RATE_LIMIT_MAX: '0' }, /^Invalid RATE_LIMIT_MAX "0": expected an integer from 1 to 1000000$/],
    [{ RATE_LIMIT_WINDOW_MS: 'minute' }, /^Invalid RATE_LIMIT_WINDOW_MS "minute": expected an integer from 1 to 86400000 \(milliseconds\)$/]
  ]
  for (const [env, message] of cases) t.throws(() => loadConfig(env, '/'), message, JSON.stringify(env))
})
