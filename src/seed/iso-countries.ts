// The ISO 3166-1 country list, from the maintained i18n-iso-countries package rather than typed by hand.
import { createRequire } from 'node:module'
import countriesModule from 'i18n-iso-countries/index.js'
import type { LocaleData } from 'i18n-iso-countries/index.js'

const require = createRequire(import.meta.url)
const isoCountries = countriesModule as unknown as typeof countriesModule & { default?: never }
isoCountries.registerLocale(require('i18n-iso-countries/langs/en.json') as LocaleData)
const packageVersion = (require('i18n-iso-countries/package.json') as { version: string }).version

/** XK (Kosovo) is a user-assigned code that the package adds; it is not part of ISO 3166-1. */
const NOT_ISO_3166_1 = new Set(['XK'])

/**
 * ISO 3166-1's English short name where the package lists a full or former name first (kept as an
 * other name): "The Republic of North Macedonia" sorted MK under T, apart from every record naming
 * it North Macedonia, and "Republic of The Gambia" and "Republic of the Congo" under R. The other
 * countries keep the package's first name, ISO's short name or a common form of it.
 */
const ISO_SHORT_NAMES: Record<string, string> = { MK: 'North Macedonia', GM: 'Gambia', CG: 'Congo', CZ: 'Czechia', CV: 'Cabo Verde' }

export interface IsoCountry {
  code: string
  alpha3: string
  numeric: string
  name: string
  /** Further English names the package knows (GB: "UK", "Great Britain"). */
  otherNames: string[]
}

export const ISO_SOURCE = {
  id: 'iso-3166-1',
  kind: 'dataset' as const,
  title: 'ISO 3166-1 country codes and English names',
  publisher: `International Organization for Standardization, via the i18n-iso-countries package ${packageVersion}`,
  url: 'https://www.iso.org/iso-3166-country-codes.html',
  note: 'Codes and names are loaded from the i18n-iso-countries npm package on every seed run.'
}

let countries: IsoCountry[] | undefined

/** The list, made once per process (each write checks country codes against it). */
export function isoCountryList(): IsoCountry[] {
  countries ??= readIsoCountries()
  return countries
}

function readIsoCountries(): IsoCountry[] {
  const names = isoCountries.getNames('en', { select: 'all' })
  return Object.keys(isoCountries.getAlpha2Codes())
    .filter((code) => !NOT_ISO_3166_1.has(code))
    .sort()
    .map((code) => {
      // The package has names for every code it lists.
      const listed = names[code] as string[]
      const shortName = ISO_SHORT_NAMES[code]
      const [name, ...otherNames] = shortName === undefined ? listed : [shortName, ...listed.filter((other) => other !== shortName)]
      return {
        code,
        alpha3: isoCountries.alpha2ToAlpha3(code) as string,
        numeric: isoCountries.alpha2ToNumeric(code) as string,
        name: name as string,
        otherNames
      }
    })
}
