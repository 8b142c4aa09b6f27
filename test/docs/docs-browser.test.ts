// The documentation page in a real browser (Debian's headless Chromium, driven by playwright-core):
// it names the service, and "try it" on the participations list, with country=BA, shows Mesetović,
// all under the page's Content-Security-Policy, which must not refuse anything the page does.
import { statSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { chromium } from 'playwright-core'
import { committedDocument } from '../openapi/contract-helpers.js'
import { seededApp } from '../helpers.js'
import { listeningApp } from '../listening-app.js'

/** Debian's package (`apt-get install chromium`, see .ci/run): the tests never download a browser. */
const CHROMIUM = '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync']
const TIMEOUT_MS = 60_000

t.test('/docs: the service introduced, and "try it" on GET /v1/participations?country=BA shows Mesetović', async (t) => {
  const baseUrl = await listeningApp(t)
  const folder = t.testdir({})
  const browser = await chromium.launchPersistentContext(join(folder, 'profile'), {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    timeout: TIMEOUT_MS
  })
  t.teardown(() => browser.close())
  const page = browser.pages()[0] ?? (await browser.newPage())
  page.setDefaultTimeout(TIMEOUT_MS)

  // Anything the policy refuses, any script error, and every request that leaves the test server.
  const refused: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') refused.push(message.text())
  })
  page.on('pageerror', (error) => refused.push(error.message))
  const elsewhere: string[] = []
  page.on('request', (request) => {
    if (!request.url().startsWith(`${baseUrl}/`) && !request.url().startsWith('data:')) elsewhere.push(request.url())
  })

  const answer = await page.goto(`${baseUrl}/docs`)
  t.equal(answer?.status(), 200, 'the page answers 200')
  t.match(answer?.headers()['content-security-policy'], /^default-src 'none';/, 'under the docs page policy')
  t.equal(await page.title(), 'Stakeholder Directory API: documentation', 'the window title names the service')
  await t.resolves(page.getByRole('heading', { name: /Stakeholder Directory API/ }).first().waitFor(), 'the page is headed with the service name')
  t.match(await page.locator('.info .description').innerText(), /Every record cites its sources/, 'with its introduction')

  const operation = page.locator('#operations-participations-listParticipations')
  await operation.locator('.opblock-summary').click()
  await operation.getByRole('button', { name: 'Try it out' }).click()
  await operation.locator('tr[data-param-name="country"] input').fill('BA')
  await operation.getByRole('button', { name: 'Execute' }).click()
  const response = operation.locator('.live-responses-table .response')
  await response.getByText('Mesetović').first().waitFor()
  t.match(await operation.locator('.request-url').innerText(), `${baseUrl}/v1/participations?country=BA`, 'the request went to this server')
  t.match(await response.locator('.response-col_status').innerText(), /200/, 'and answered 200')
  t.match(await response.locator('.response-col_description').innerText(), /"role": "moderator"/, 'the response shows her role')

  // Kept after the run with `npx tap --save-fixture test/docs/docs-browser.test.ts`.
  await page.screenshot({ path: join(folder, 'docs-try-it.png'), fullPage: true })
  t.ok(statSync(join(folder, 'docs-try-it.png')).size > 10_000, 'a screenshot of the page is saved')
  t.same(refused, [], 'no script error and nothing refused by the Content-Security-Policy')
  t.same(elsewhere, [], 'the page requests nothing from any other origin')
})

t.test("the docs page's copy of the document: no query or header example pre-fills a try-it input", async (t) => {
  const app = await seededApp(t)
  const docs = (await app.inject('/docs/json')).json()
  const committed = committedDocument() as unknown as Record<string, any>
  t.same({ ...docs, paths: undefined, components: undefined }, { ...committed, paths: undefined, components: undefined }, 'the same document otherwise')
  t.same(Object.keys(docs.paths), Object.keys(committed.paths), 'with every path')
  const parameters = (document: Record<string, any>) => [
    ...Object.values<any>(document.components.parameters),
    ...Object.values<any>(document.paths).flatMap((item) => Object.values<any>(item).flatMap((operation) => operation.parameters ?? []))
  ].filter((parameter) => parameter.in !== undefined)
  const before = parameters(committed)
  const after = parameters(docs)
  t.equal(after.length, before.length, 'with every parameter')
  before.forEach((parameter, index) => {
    const moved = after[index]
    if (parameter.in === 'path') t.same(moved, parameter, `path parameter ${parameter.name} keeps its example`)
    else if (parameter.example === undefined) t.same(moved, parameter, `${parameter.in} parameter ${parameter.name} as it was`)
    else {
      const { example, ...rest } = parameter
      t.same(moved, { ...rest, description: `${parameter.description} Example: \`${example}\`.` }, `${parameter.in} parameter ${parameter.name}: its example in the description`)
    }
  })
  t.ok(before.some((parameter) => parameter.in === 'path' && parameter.example !== undefined), 'path examples exist')
  t.ok(before.some((parameter) => parameter.in === 'header' && parameter.example !== undefined), 'header examples exist')
  t.ok(before.some((parameter) => parameter.in === 'query' && parameter.example !== undefined), 'query examples exist')
  t.match(docs.paths['/v1/people'].get.parameters.at(-1), { $ref: '#/components/parameters/IfNoneMatch' }, 'references stay references')
})
