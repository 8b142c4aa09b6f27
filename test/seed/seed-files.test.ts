// The bundled seed data: every quote verbatim in its source, the published schema current.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import t from 'tap'
import { parse } from 'yaml'
import { bundledSeedsFolder } from '../../src/paths.js'
import { seedFilesIn } from '../../src/seed/read-seed-files.js'
import { seedFileJsonSchema } from '../../src/cli/schema-command.js'

interface Citation {
  source: string
  quote?: string
}

/** Every citation anywhere in a seed file, with the JSON pointer to it. */
function* citations(value: unknown, pointer = ''): Generator<[string, Citation]> {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* citations(item, `${pointer}/${i}`)
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'sources' && Array.isArray(item) && pointer !== '') {
        for (const [i, citation] of item.entries()) yield [`${pointer}/sources/${i}`, citation as Citation]
      } else yield* citations(item, `${pointer}/${key}`)
    }
  }
}

t.test('every citation quote occurs verbatim in the text of its source', async (t) => {
  const files = seedFilesIn(bundledSeedsFolder).map((path) => ({ path, content: parse(readFileSync(path, 'utf8')) }))
  const texts = new Map<string, string>()
  for (const { path, content } of files) {
    for (const source of content.sources ?? []) texts.set(source.id, readFileSync(join(dirname(path), source.text_file), 'utf8'))
  }
  t.ok(texts.has('seesac-2015-06-03-sarajevo-roundtable'), 'the article is a source')
  t.equal(
    texts.get('seesac-2015-06-03-sarajevo-roundtable'),
    readFileSync(join(bundledSeedsFolder, 'sources', 'seesac-2015-06-03-sarajevo-roundtable.txt'), 'utf8')
  )
  let checked = 0
  for (const { path, content } of files) {
    for (const [pointer, citation] of citations(content)) {
      const text = texts.get(citation.source)
      t.ok(text, `${path}${pointer}: source ${citation.source} has a text`)
      t.type(citation.quote, 'string', `${path}${pointer}: has a quote`)
      t.ok(text?.includes(citation.quote as string), `${path}${pointer}: "${citation.quote}" is verbatim in the source`)
      checked++
    }
  }
  t.ok(checked > 90, `checked ${checked} quotes`)
})

t.test('every record of the bundled seeds cites the article', async (t) => {
  for (const path of seedFilesIn(bundledSeedsFolder)) {
    const content = parse(readFileSync(path, 'utf8')) as Record<string, { id?: string; sources?: Citation[] }[]>
    for (const [collection, records] of Object.entries(content)) {
      if (collection === 'sources') continue
      for (const record of records) {
        t.ok(record.sources?.some((c) => c.source === 'seesac-2015-06-03-sarajevo-roundtable'), `${collection} ${record.id ?? JSON.stringify(record).slice(0, 60)}`)
      }
    }
  }
})

t.test('the published seed-file schema is current (npm run seeds:schema regenerates it)', async (t) => {
  t.equal(readFileSync(join(bundledSeedsFolder, 'seed-file.schema.json'), 'utf8'), seedFileJsonSchema())
})
