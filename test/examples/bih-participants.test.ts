// The example client (examples/bih-participants.ts) against a real server: it answers who from
// Bosnia and Herzegovina took part and in which role, as a function and as a program.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { participantsFrom } from '../../examples/bih-participants.js'
import { typescriptEnv, typescriptNodeArgs } from '../cli/cli-helpers.js'
import { listeningApp } from '../listening-app.js'

const example = fileURLToPath(new URL('../../examples/bih-participants.ts', import.meta.url))
const SARAJEVO = 'at Regional Roundtable on Enhancing Participation of Western Balkan Countries in UN Peacekeeping Operations'

t.test('who from Bosnia and Herzegovina took part, in which role', async (t) => {
  const baseUrl = await listeningApp(t)
  const lines = await participantsFrom(baseUrl)
  t.same(lines, [
    `Ministry of Defence of Bosnia and Herzegovina: co-host ("co-hosted by"), ${SARAJEVO}`,
    `Ministry of Foreign Affairs of Bosnia and Herzegovina: co-host ("co-hosted by"), ${SARAJEVO}`,
    `Ministry of Security of Bosnia and Herzegovina: co-host ("co-hosted by"), ${SARAJEVO}`,
    'Colonel Mersida Mesetović: moderator ("moderated by"), on behalf of Armed Forces of Bosnia and Herzegovina, ' +
      `in "Regional Cooperation: Building Coherence and Comparative Advantages Amongst Countries in the Region in Training and in other Focus Areas", ${SARAJEVO}`,
    `Ministry of Defence of Bosnia and Herzegovina: participant ("gathered officials from ministries of defence, foreign affairs and interior"), ${SARAJEVO}`,
    `Ministry of Foreign Affairs of Bosnia and Herzegovina: participant ("gathered officials from ministries of defence, foreign affairs and interior"), ${SARAJEVO}`,
    `Ministry of Security of Bosnia and Herzegovina: participant ("gathered officials from ministries of defence, foreign affairs and interior"), ${SARAJEVO}`
  ], 'the three BiH ministries as co-hosts and participants, and Colonel Mesetović as moderator')
  t.same(await participantsFrom(baseUrl, { pageSize: 2 }), lines, 'the same lines when it follows the cursor through pages of two')
  t.not((await participantsFrom(baseUrl, { country: 'RS' }))[0], lines[0], 'another country, other participants')
  await t.rejects(participantsFrom(baseUrl, { country: 'Bosnia' }), /GET \/v1\/participations: Bad Request: .*country/, 'a problem answer is an error naming it')

  const child = spawn(process.execPath, [...typescriptNodeArgs, example, baseUrl], { env: typescriptEnv(), stdio: ['ignore', 'pipe', 'inherit'] })
  let stdout = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  const [code] = await once(child, 'close')
  t.equal(code, 0, 'the program exits 0')
  t.equal(stdout, `${lines.join('\n')}\n`, 'and prints one line per participation')
})
