// bench/generate: writes a deterministic, realistic set of seed files (and a json-server db.json)
// for load benchmarks: every ISO country, Zipf-skewed countries, ministries and people, names in
// the region's alphabets, organisation trees, events over 20 years with sessions, cited sources.
// Usage: npm run bench:generate -- --participations 10000 --out DIR [--seed 42] [--chunk 50000]
// (--chunk: records a file, for people, positions and participations.)
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { isoCountryList } from '../src/seed/iso-countries.js'

// ---------------------------------------------------------------- deterministic randomness

/** mulberry32: a small, fast, seedable PRNG; the same seed gives the same files on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Samples ranks 0..n-1 with probability proportional to 1/(rank+1)^s (Zipf), by binary search on the CDF. */
export function zipf(n: number, s: number, random: () => number): () => number {
  const cdf = new Float64Array(n)
  let sum = 0
  for (let i = 0; i < n; i++) cdf[i] = sum += 1 / Math.pow(i + 1, s)
  return () => {
    const x = random() * sum
    let lo = 0
    let hi = n - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((cdf[mid] as number) < x) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

const pickFrom = <T>(list: readonly T[], random: () => number): T => list[Math.floor(random() * list.length)] as T

function weighted<T>(entries: readonly (readonly [T, number])[], random: () => number): () => T {
  const total = entries.reduce((s, [, w]) => s + w, 0)
  return () => {
    let x = random() * total
    for (const [value, weight] of entries) if ((x -= weight) < 0) return value
    return (entries[entries.length - 1] as readonly [T, number])[0]
  }
}

// ---------------------------------------------------------------- names of the region

interface NamePool {
  given: string[]
  family: string[]
  /** Cyrillic pools get a Latin other name (the same person as most Latin-script sources write them). */
  latin?: (name: string) => string
}

const CYRILLIC_TO_LATIN: Record<string, string> = {
  А: 'A', Б: 'B', В: 'V', Г: 'G', Д: 'D', Ђ: 'Đ', Е: 'E', Ж: 'Ž', З: 'Z', И: 'I', Ј: 'J', К: 'K', Л: 'L', Љ: 'Lj', М: 'M', Н: 'N',
  Њ: 'Nj', О: 'O', П: 'P', Р: 'R', С: 'S', Т: 'T', Ћ: 'Ć', У: 'U', Ф: 'F', Х: 'H', Ц: 'C', Ч: 'Č', Џ: 'Dž', Ш: 'Š', Ѓ: 'Gj', Ѕ: 'Dz', Ќ: 'Kj',
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', ђ: 'đ', е: 'e', ж: 'ž', з: 'z', и: 'i', ј: 'j', к: 'k', л: 'l', љ: 'lj', м: 'm', н: 'n',
  њ: 'nj', о: 'o', п: 'p', р: 'r', с: 's', т: 't', ћ: 'ć', у: 'u', ф: 'f', х: 'h', ц: 'c', ч: 'č', џ: 'dž', ш: 'š', ѓ: 'gj', ѕ: 'dz', ќ: 'kj'
}
const toLatin = (text: string) => [...text].map((ch) => CYRILLIC_TO_LATIN[ch] ?? ch).join('')

const BCS_LATIN: NamePool = {
  given: ['Đorđe', 'Đurđa', 'Mersida', 'Emina', 'Amra', 'Jasmin', 'Edin', 'Nermin', 'Ivana', 'Ivan', 'Željko', 'Željka', 'Dženan', 'Džemila',
    'Anđela', 'Mirza', 'Selma', 'Goran', 'Dragana', 'Šefik', 'Čedomir', 'Ćamil', 'Branka', 'Tomislav', 'Marija', 'Luka', 'Vesna', 'Nikola', 'Ana', 'Marko'],
  family: ['Mešetović', 'Đurić', 'Đukanović', 'Hadžić', 'Kovačević', 'Petrović', 'Jovanović', 'Begović', 'Šarić', 'Čolak', 'Ćosić', 'Babić',
    'Marić', 'Horvat', 'Knežević', 'Popović', 'Delić', 'Mujić', 'Vuković', 'Žigić', 'Radić', 'Tomić', 'Perišić', 'Pavlović', 'Lukić', 'Đapić']
}
const SERBIAN_CYRILLIC: NamePool = {
  given: ['Ђорђе', 'Милош', 'Јелена', 'Душан', 'Љиљана', 'Његош', 'Ђурђа', 'Војислав', 'Снежана', 'Драган', 'Милица', 'Бранислав', 'Жељко', 'Ћирило', 'Тијана', 'Џејн'],
  family: ['Ђурић', 'Петровић', 'Јовановић', 'Николић', 'Марковић', 'Ђорђевић', 'Стојановић', 'Илић', 'Станковић', 'Павловић', 'Милошевић', 'Ћосић', 'Шаровић', 'Жикић'],
  latin: toLatin
}
const MACEDONIAN_CYRILLIC: NamePool = {
  given: ['Ѓорѓи', 'Александар', 'Билјана', 'Ѓурѓа', 'Зоран', 'Весна', 'Никола', 'Стево', 'Радмила', 'Ќирил', 'Јован', 'Ѕвезда', 'Тамара', 'Гоце'],
  family: ['Ѓорѓиевски', 'Стојановски', 'Петровска', 'Николовски', 'Ристовска', 'Трајковски', 'Јовановска', 'Ќосевски', 'Димитровски', 'Андоновска'],
  latin: toLatin
}
const ALBANIAN: NamePool = {
  given: ['Arbën', 'Blerina', 'Dritëro', 'Elira', 'Ëngjëll', 'Fatmir', 'Gëzim', 'Jonida', 'Lindita', 'Mimoza', 'Përparim', 'Shpëtim', 'Valbona', 'Xhevdet', 'Zamira', 'Çlirim'],
  family: ['Hoxha', 'Berisha', 'Krasniqi', 'Gashi', 'Çela', 'Dervishi', 'Shehu', 'Leka', 'Xhaferi', 'Kola', 'Brahimaj', 'Mëhilli', 'Rama', 'Ymeri']
}
const MONTENEGRIN: NamePool = {
  given: ['Śeljko', 'Źana', 'Vuk', 'Milo', 'Danijela', 'Jovana', 'Đorđije', 'Dragica', 'Budimir', 'Ana', 'Predrag', 'Sanja', 'Nebojša'],
  family: ['Đukanović', 'Vujanović', 'Radulović', 'Bulatović', 'Šćekić', 'Marković', 'Vujović', 'Đurišić', 'Lazović', 'Perović', 'Božović']
}
const SLOVENE: NamePool = {
  given: ['Špela', 'Matjaž', 'Žiga', 'Nataša', 'Aljaž', 'Urška', 'Rok', 'Tjaša', 'Blaž', 'Maša', 'Primož', 'Nuša', 'Jože', 'Mojca'],
  family: ['Novak', 'Horvat', 'Kovačič', 'Krajnc', 'Zupančič', 'Potočnik', 'Kos', 'Vidmar', 'Golob', 'Turk', 'Božič', 'Žagar', 'Mlakar']
}
const INTERNATIONAL: NamePool = {
  given: ['Peter', 'Anne', 'François', 'Søren', 'Zoë', 'José', 'Mária', 'Jürgen', 'Chloé', 'Björn', 'Małgorzata', 'Ahmet', 'Ioana', 'Ewa', 'John', 'Mei'],
  family: ['Due', 'Müller', 'Smith', 'García', 'Rossi', 'Lefèvre', 'Öztürk', 'Nowak', 'Popescu', 'Jensen', 'Dubois', 'Papadopoulos', 'Schmidt', 'Şahin', 'Kowalczyk']
}

/** The alphabets of the region by country; the rest of the world gets international names. */
const POOLS_BY_COUNTRY: Record<string, readonly (readonly [NamePool, number])[]> = {
  AL: [[ALBANIAN, 1]],
  BA: [[BCS_LATIN, 3], [SERBIAN_CYRILLIC, 1]],
  HR: [[BCS_LATIN, 1]],
  ME: [[MONTENEGRIN, 3], [SERBIAN_CYRILLIC, 1]],
  MK: [[MACEDONIAN_CYRILLIC, 3], [ALBANIAN, 1]],
  RS: [[SERBIAN_CYRILLIC, 2], [BCS_LATIN, 1], [ALBANIAN, 0.2]],
  SI: [[SLOVENE, 1]]
}
/** The most frequent countries first (real event lists are dominated by the Western Balkans). */
const REGION_FIRST = ['BA', 'RS', 'MK', 'AL', 'ME', 'HR', 'SI', 'DE', 'AT', 'US', 'GB', 'FR', 'IT', 'TR', 'BG', 'RO', 'HU', 'GR', 'NO', 'SE', 'NL', 'MD', 'UA', 'CH']

/** Ids: lower-case ASCII letters, digits and single hyphens (Đ as dj, Cyrillic transliterated). */
export function slug(text: string): string {
  return toLatin(text)
    .replace(/[Đđ]/g, 'dj')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/ł/g, 'l')
    .replace(/ø/g, 'o')
    .replace(/ı/g, 'i')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

// ---------------------------------------------------------------- streaming JSON writer

/** Writes a JSON seed file record by record through a small buffer: memory stays flat at any size. */
class JsonSeedWriter {
  private fd: number
  private buffer = ''
  private collection: string | null = null
  private first = true
  bytes = 0
  constructor(readonly path: string, header = '"$schema": "./seed-file.schema.json"') {
    this.fd = openSync(path, 'w')
    this.write(`{\n  ${header}`)
  }
  private write(text: string) {
    this.buffer += text
    if (this.buffer.length > 1 << 20) this.flush()
  }
  private flush() {
    const chunk = Buffer.from(this.buffer, 'utf8')
    writeSync(this.fd, chunk)
    this.bytes += chunk.length
    this.buffer = ''
  }
  record(collection: string, value: unknown) {
    if (collection !== this.collection) {
      if (this.collection !== null) this.write('\n  ]')
      this.write(`,\n  ${JSON.stringify(collection)}: [\n    `)
      this.collection = collection
      this.first = true
    }
    this.write(`${this.first ? '' : ',\n    '}${JSON.stringify(value)}`)
    this.first = false
  }
  close(): number {
    if (this.collection !== null) this.write('\n  ]')
    this.write('\n}\n')
    this.flush()
    closeSync(this.fd)
    return this.bytes
  }
}

/**
 * Writes one collection's records into numbered files of at most `perFile` records each
 * (`10-participations-0001.json`, ...): the seed command holds one file's records at a time, so a
 * large collection in one file would set its peak memory.
 */
class ChunkedSeedWriter {
  private writer: JsonSeedWriter | null = null
  private written = 0
  constructor(
    private readonly out: string,
    private readonly prefix: string,
    private readonly collection: string,
    private readonly perFile: number,
    private readonly files: { path: string; bytes: number }[]
  ) {}
  record(value: unknown) {
    if (this.written % this.perFile === 0) {
      this.close()
      this.writer = new JsonSeedWriter(join(this.out, `${this.prefix}-${String(this.written / this.perFile + 1).padStart(4, '0')}.json`))
    }
    ;(this.writer as JsonSeedWriter).record(this.collection, value)
    this.written++
  }
  close() {
    if (this.writer) this.files.push({ path: this.writer.path.slice(this.out.length + 1), bytes: this.writer.close() })
    this.writer = null
  }
}

// ---------------------------------------------------------------- the world

const PORTFOLIOS = ['defence', 'foreign-affairs', 'interior', 'security', 'justice', 'finance'] as const
const PORTFOLIO_NAMES: Record<(typeof PORTFOLIOS)[number], string> = {
  defence: 'Ministry of Defence',
  'foreign-affairs': 'Ministry of Foreign Affairs',
  interior: 'Ministry of the Interior',
  security: 'Ministry of Security',
  justice: 'Ministry of Justice',
  finance: 'Ministry of Finance'
}
const UNIT_NAMES: Record<(typeof PORTFOLIOS)[number], string[]> = {
  defence: ['Department for International Cooperation', 'Directorate for Peace Support Operations', 'Joint Staff', 'Department for Defence Policy', 'Military Academy'],
  'foreign-affairs': ['Directorate for Multilateral Affairs', 'Department for Security Policy', 'Directorate for European Integration', 'Diplomatic Academy'],
  interior: ['Police Directorate', 'Border Police', 'Department for Arms Control', 'Directorate for Emergency Management'],
  security: ['Sector for International Cooperation', 'Service for Foreigners’ Affairs', 'Directorate for Coordination of Police Bodies'],
  justice: ['Directorate for International Legal Assistance', 'Judicial Training Centre', 'Department for Criminal Legislation'],
  finance: ['Customs Administration', 'Department for Budget', 'Financial Intelligence Unit']
}
const INTERNATIONAL_ORGS: [string, string, string, string?][] = [
  ['undp', 'United Nations Development Programme', 'un-programme', 'UNDP'],
  ['unoda', 'United Nations Office for Disarmament Affairs', 'un-department', 'UNODA'],
  ['dpko', 'Department of Peacekeeping Operations', 'un-department', 'DPKO'],
  ['osce', 'Organization for Security and Co-operation in Europe', 'intergovernmental-organisation', 'OSCE'],
  ['nato', 'North Atlantic Treaty Organization', 'intergovernmental-organisation', 'NATO'],
  ['eu', 'European Union', 'intergovernmental-organisation', 'EU'],
  ['rcc', 'Regional Cooperation Council', 'regional-initiative', 'RCC'],
  ['seesac-bench', 'South Eastern and Eastern Europe Clearinghouse (benchmark copy)', 'regional-initiative', 'SEESAC'],
  ['racviac', 'RACVIAC – Centre for Security Cooperation', 'regional-initiative', 'RACVIAC'],
  ['dcaf', 'Geneva Centre for Security Sector Governance', 'civil-society-organisation', 'DCAF']
]
const TOPICS = ['Small Arms and Light Weapons Control', 'Gender Equality in the Security Sector', 'UN Peacekeeping Participation', 'Border Security',
  'Explosive Ordnance Disposal', 'Countering Violent Extremism', 'Security Sector Reform', 'Arms Export Control', 'Cyber Security', 'Disaster Response']
const EVENT_KINDS = [['roundtable', 'Regional Roundtable'], ['conference', 'Conference'], ['workshop', 'Workshop'], ['meeting', 'Regional Meeting'], ['training', 'Training Course']] as const
const SESSION_KINDS = [['plenary', 'Opening plenary'], ['keynote', 'Keynote address'], ['panel', 'Panel on national experiences'], ['panel', 'Panel on regional cooperation'], ['workshop', 'Working group'], ['plenary', 'Closing plenary']] as const
const ROLES = [['participant', 70], ['panellist', 12], ['presenter', 6], ['moderator', 4], ['keynote-speaker', 2], ['organiser', 3], ['co-organiser', 2], ['co-host', 1]] as const
const ROLE_WORDING: Record<string, string> = { panellist: 'spoke on the panel', moderator: 'moderated by', presenter: 'presented', 'keynote-speaker': 'delivered the keynote' }
const FIRST_YEAR = 2005
const YEARS = 20
const REGISTRY = 'bench-staff-registry'
const attendanceSource = (year: number) => `bench-attendance-lists-${year}`
const reportSource = (year: number) => `bench-annual-report-${year}`
const pad = (n: number, width = 2) => String(n).padStart(width, '0')

interface Organisation { id: string; country: string | null; portfolio: string | null }
interface Person { id: string; country: string; organisation: string }
interface Event { id: string; name: string; year: number; country: string; sessions: string[] }

export interface GenerateOptions { participations: number; out: string; seed: number; chunk: number }
export interface GenerateSummary {
  participations: number
  counts: Record<string, number>
  files: { path: string; bytes: number }[]
  totalBytes: number
  dbJsonBytes: number
  seconds: number
}

export function generate(options: GenerateOptions): GenerateSummary {
  const started = process.hrtime.bigint()
  const random = prng(options.seed)
  const { out } = options
  rmSync(out, { recursive: true, force: true })
  mkdirSync(join(out, 'sources'), { recursive: true })
  const files: { path: string; bytes: number }[] = []
  const counts: Record<string, number> = {}
  const count = (what: string, n = 1) => void (counts[what] = (counts[what] ?? 0) + n)

  // Countries, most frequent first: the region, then its partners, then the rest of the world in a
  // shuffled (but seeded) order, so that the long tail is not alphabetical.
  const countries = isoCountryList()
  const names = new Map(countries.map((c) => [c.code, c.name]))
  const rest = countries.map((c) => c.code).filter((c) => !REGION_FIRST.includes(c))
  for (let i = rest.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[rest[i], rest[j]] = [rest[j] as string, rest[i] as string]
  }
  const countryOrder = [...REGION_FIRST.filter((c) => names.has(c)), ...rest]
  const countryRank = zipf(countryOrder.length, 1.1, random)

  // ---- sources: one annual report (article, with its text) and one attendance dataset per year
  const meta = new JsonSeedWriter(join(out, '00-sources.json'))
  meta.record('sources', {
    id: REGISTRY,
    kind: 'dataset',
    title: 'Staff registry of the regional security cooperation network (synthetic benchmark data)',
    publisher: 'stakeholder-directory bench/generate',
    note: 'Generated by bench/generate with a seeded pseudo-random generator; not real people.'
  })
  count('sources')

  // ---- organisations: per country a government, its six ministries (skewed sizes) and their units
  const orgs = new JsonSeedWriter(join(out, '01-organisations.json'))
  const cite = (source: string, quote?: string) => [quote === undefined ? { source } : { source, quote }]
  const organisationsOf = new Map<string, Organisation[]>()
  const allOrganisations: Organisation[] = []
  const addOrganisation = (record: Record<string, unknown>, org: Organisation) => {
    orgs.record('organisations', { ...record, sources: cite(REGISTRY) })
    allOrganisations.push(org)
    count('organisations')
  }
  for (const [id, name, classification, abbreviation] of INTERNATIONAL_ORGS) {
    addOrganisation({ id, name, classification, ...(abbreviation ? { abbreviation } : {}) }, { id, country: null, portfolio: null })
  }
  const portfolioRank = zipf(PORTFOLIOS.length, 1.3, random)
  countryOrder.forEach((code, rank) => {
    const country = names.get(code) as string
    const lower = code.toLowerCase()
    const list: Organisation[] = []
    const government = `${lower}-government`
    addOrganisation({ id: government, name: `Government of ${country}`, classification: 'government-agency', country: code }, { id: government, country: code, portfolio: null })
    // Bigger countries (by rank) get more units under their ministries.
    const unitsPerMinistry = rank < 8 ? 5 : rank < 30 ? 2 : 1
    for (const portfolio of PORTFOLIOS) {
      const ministry = `${lower}-ministry-of-${portfolio}`
      addOrganisation(
        { id: ministry, name: `${PORTFOLIO_NAMES[portfolio]} of ${country}`, classification: 'ministry', portfolio, country: code, parent: government },
        { id: ministry, country: code, portfolio }
      )
      list.push({ id: ministry, country: code, portfolio })
      UNIT_NAMES[portfolio].slice(0, unitsPerMinistry).forEach((unit) => {
        const id = `${ministry}-${slug(unit)}`
        const classification = unit === 'Joint Staff' ? 'armed-forces' : unit.includes('Academy') ? 'academic-institution' : 'government-agency'
        addOrganisation({ id, name: `${unit}, ${PORTFOLIO_NAMES[portfolio]} of ${country}`, classification, country: code, parent: ministry }, { id, country: code, portfolio })
        list.push({ id, country: code, portfolio })
      })
    }
    if (rank < 30) {
      const id = `${lower}-centre-for-security-studies`
      addOrganisation({ id, name: `Centre for Security Studies, ${country}`, classification: 'civil-society-organisation', country: code }, { id, country: code, portfolio: null })
      list.push({ id, country: code, portfolio: null })
    }
    organisationsOf.set(code, list)
  })
  files.push({ path: '01-organisations.json', bytes: orgs.close() })

  // ---- people and their positions: about one person per eight participations, by country rank
  const peopleTotal = Math.max(200, Math.round(options.participations / 8))
  const people = new ChunkedSeedWriter(out, '02-people', 'people', options.chunk, files)
  const peopleOf = new Map<string, Person[]>(countryOrder.map((c) => [c, []]))
  for (let n = 1; n <= peopleTotal; n++) {
    // The first person of every country comes first, so that every country has people.
    const code = n <= countryOrder.length ? (countryOrder[n - 1] as string) : (countryOrder[countryRank()] as string)
    const pool = weighted(POOLS_BY_COUNTRY[code] ?? [[INTERNATIONAL, 1]], random)()
    const given = pickFrom(pool.given, random)
    const family = pickFrom(pool.family, random)
    const name = `${given} ${family}`
    const id = `${slug(name)}-${n}`
    const record: Record<string, unknown> = { id, name, given_name: given, family_name: family, sort_name: `${family}, ${given}` }
    if (random() < 0.1) record.honorific_prefix = pickFrom(['Dr', 'Col.', 'Amb.', 'Prof.', 'Brig. Gen.'], random)
    if (pool.latin) {
      record.other_names = [{ name: pool.latin(name), note: 'Latin-script spelling of the name.', sources: cite(REGISTRY) }]
      count('other_names')
    }
    record.sources = cite(REGISTRY)
    people.record(record)
    count('people')
    const orgList = organisationsOf.get(code) as Organisation[]
    const wantPortfolio = PORTFOLIOS[portfolioRank()]
    const candidates = orgList.filter((o) => o.portfolio === wantPortfolio)
    const organisation = pickFrom(candidates.length > 0 ? candidates : orgList, random).id
    ;(peopleOf.get(code) as Person[]).push({ id, country: code, organisation })
  }
  people.close()
  const positions = new ChunkedSeedWriter(out, '02-positions', 'positions', options.chunk, files)
  for (const list of peopleOf.values()) {
    for (const person of list) {
      const year = FIRST_YEAR + Math.floor(random() * YEARS)
      positions.record({
        id: `position-${person.id}`,
        person: person.id,
        organisation: person.organisation,
        title: pickFrom(['Head of Unit', 'Senior Adviser', 'Director', 'Assistant Minister', 'Officer', 'Colonel', 'State Secretary'], random),
        as_of: `${year}-${pad(1 + Math.floor(random() * 12))}`,
        sources: cite(REGISTRY)
      })
      count('positions')
    }
  }
  positions.close()

  // ---- events over 20 years (annual series continue each other), sessions, and the report texts
  const eventsTotal = Math.max(20, Math.round(options.participations / 200))
  const eventsFile = new JsonSeedWriter(join(out, '03-events.json'))
  const events: Event[] = []
  const reportLines = new Map<number, string[]>()
  const lastOfSeries = new Map<string, string>()
  const eventCountry = zipf(Math.min(countryOrder.length, 40), 1.0, random)
  for (let n = 1; n <= eventsTotal; n++) {
    const year = FIRST_YEAR + Math.floor(((n - 1) * YEARS) / eventsTotal)
    const month = 1 + Math.floor(random() * 12)
    const day = 1 + Math.floor(random() * 26)
    const [classification, label] = pickFrom(EVENT_KINDS, random)
    const topic = pickFrom(TOPICS, random)
    const country = countryOrder[eventCountry()] as string
    const city = `${names.get(country)} capital`
    const name = `${label} on ${topic} ${year}, ${names.get(country)}`
    const id = `${slug(`${label} ${topic}`)}-${year}-${n}`
    const series = `${classification}-${topic}`
    const start = `${year}-${pad(month)}-${pad(day)}`
    const end = `${year}-${pad(month)}-${pad(day + 1 + Math.floor(random() * 2))}`
    const quote = `The ${name} was held from ${start} to ${end} (event ${n}).`
    reportLines.set(year, [...(reportLines.get(year) ?? []), quote])
    const continuation = lastOfSeries.get(series)
    lastOfSeries.set(series, id)
    eventsFile.record('events', {
      id, name, classification, start_date: start, end_date: end, city, country,
      ...(continuation ? { continuation_of: continuation } : {}),
      sources: [{ source: reportSource(year), quote }]
    })
    count('events')
    events.push({ id, name, year, country, sessions: [] })
  }
  for (const event of events) {
    const sessionCount = 2 + Math.floor(random() * 5)
    for (let s = 0; s < sessionCount; s++) {
      const [classification, label] = SESSION_KINDS[s] as (typeof SESSION_KINDS)[number]
      const id = `${event.id}-session-${s + 1}`
      const quote = `${label} of the ${event.name} (session ${s + 1}).`
      ;(reportLines.get(event.year) as string[]).push(quote)
      eventsFile.record('sessions', { id, event: event.id, name: label, classification, sources: [{ source: reportSource(event.year), quote }] })
      count('sessions')
      event.sessions.push(id)
    }
  }
  files.push({ path: '03-events.json', bytes: eventsFile.close() })
  for (let year = FIRST_YEAR; year < FIRST_YEAR + YEARS; year++) {
    const lines = reportLines.get(year) ?? []
    const textFile = `sources/${reportSource(year)}.txt`
    const fd = openSync(join(out, textFile), 'w')
    writeSync(fd, `Annual report ${year} of the regional security cooperation network (synthetic benchmark text).\n\n${lines.join('\n')}\n`)
    closeSync(fd)
    meta.record('sources', {
      id: reportSource(year), kind: 'article', title: `Annual report ${year}`, publisher: 'Regional security cooperation network (synthetic)',
      published_on: `${year + 1}-03`, text_file: textFile
    })
    meta.record('sources', {
      id: attendanceSource(year), kind: 'dataset', title: `Attendance lists ${year}`, publisher: 'Regional security cooperation network (synthetic)', published_on: `${year + 1}`
    })
    count('sources', 2)
  }
  files.unshift({ path: '00-sources.json', bytes: meta.close() })

  // ---- participations, in chunks, and the same rows flattened for json-server's db.json
  const roleOf = weighted(ROLES, random)
  const eventRank = zipf(events.length, 0.6, random) // some events are far bigger than others
  const db = new JsonSeedWriter(join(out, 'json-server-db.json.tmp'), '"meta": { "generator": "stakeholder-directory bench/generate" }')
  const participations = new ChunkedSeedWriter(out, '10-participations', 'participations', options.chunk, files)
  const orgOf = new Map(allOrganisations.map((o) => [o.id, o]))
  for (let n = 1; n <= options.participations; n++) {
    const event = events[eventRank()] as Event
    const role = roleOf()
    const record: Record<string, unknown> = { id: `${event.id}-p${n}`, event: event.id }
    if (random() < 0.5) record.session = pickFrom(event.sessions, random)
    const kind = random()
    let country: string | null = null
    let organisation: Organisation | null = null
    if (kind < 0.85) {
      const code = countryOrder[countryRank()] as string
      const list = peopleOf.get(code) as Person[]
      const person = list.length > 0 ? (list[Math.min(list.length - 1, Math.floor(Math.pow(random(), 2) * list.length))] as Person) : null
      if (person) {
        record.person = person.id
        country = person.country
        organisation = orgOf.get(person.organisation) ?? null
        if (random() < 0.6) record.on_behalf_of = person.organisation
        record.country = person.country
      } else {
        record.delegation = code
        country = code
      }
    } else if (kind < 0.93) {
      const code = countryOrder[countryRank()] as string
      organisation = pickFrom(organisationsOf.get(code) as Organisation[], random)
      record.organisation = organisation.id
      country = code
    } else if (kind < 0.98) {
      country = countryOrder[countryRank()] as string
      record.delegation = country
    } else {
      record.sector = random() < 0.5 ? 'academia' : 'civil-society'
    }
    record.role = role
    if (ROLE_WORDING[role] !== undefined && random() < 0.5) record.role_as_worded = ROLE_WORDING[role]
    if (random() < 0.02) record.note = 'Listed under a different spelling in the attendance list; the registry spelling is used.'
    record.sources = cite(attendanceSource(event.year))
    participations.record(record)
    db.record('participations', {
      id: record.id, event: event.id, event_name: event.name, event_start_date: `${event.year}`, role,
      participant: record.person ?? record.organisation ?? record.delegation ?? record.sector,
      country, ministry: organisation?.portfolio ?? null, organisation: organisation?.id ?? null
    })
    count('participations')
  }
  participations.close()
  const dbJsonBytes = db.close()
  // The db.json lives beside, not among, the seed files (the seed CLI would try to load a .json).
  mkdirSync(join(out, 'json-server'), { recursive: true })
  renameSync(join(out, 'json-server-db.json.tmp'), join(out, 'json-server', 'db.json'))

  const totalBytes = files.reduce((s, f) => s + f.bytes, 0)
  return { participations: options.participations, counts, files, totalBytes, dbJsonBytes, seconds: Number(process.hrtime.bigint() - started) / 1e9 }
}

// ---------------------------------------------------------------- command line

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href
if (isMain) {
  const { values } = parseArgs({
    options: {
      participations: { type: 'string', default: '10000' },
      out: { type: 'string' },
      seed: { type: 'string', default: '42' },
      chunk: { type: 'string', default: '50000' },
      help: { type: 'boolean', short: 'h', default: false }
    }
  })
  if (values.help || values.out === undefined) {
    process.stdout.write('Usage: npm run bench:generate -- --participations 10000 --out DIR [--seed 42] [--chunk 50000]\n')
    process.exit(values.help ? 0 : 2)
  }
  const summary = generate({
    participations: Number(values.participations),
    out: values.out,
    seed: Number(values.seed),
    chunk: Number(values.chunk)
  })
  process.stdout.write(`${JSON.stringify({ ...summary, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }, null, 2)}\n`)
}
