/**
 * Countries as people write them in customer files: ISO 3166-1 alpha-2 (AU) and alpha-3 (AUS)
 * codes, English names and the names in a few other languages (built from `Intl.DisplayNames`,
 * so "Deutschland" and "Allemagne" are Germany), and the common informal ones ("UK", "USA",
 * "Holland"). Everything resolves to the alpha-2 code the customer schema stores.
 */
import { getCountries } from 'libphonenumber-js/min';

/** The countries the customer schema accepts (the same list as `countryCode` in shared/fields.ts). */
const ACCEPTED = new Set<string>(getCountries());

/** ISO 3166-1 alpha-3 then alpha-2, in one string to keep the table short; checked against faker's list in the tests. */
const ALPHA3_ALPHA2 = `
ANDAD AREAE AFGAF ATGAG AIAAI ALBAL ARMAM AGOAO ATAAQ ARGAR ASMAS AUTAT AUSAU ABWAW ALAAX AZEAZ
BIHBA BRBBB BGDBD BELBE BFABF BGRBG BHRBH BDIBI BENBJ BLMBL BMUBM BRNBN BOLBO BESBQ BRABR BHSBS
BTNBT BVTBV BWABW BLRBY BLZBZ CANCA CCKCC CODCD CAFCF COGCG CHECH CIVCI COKCK CHLCL CMRCM CHNCN
COLCO CRICR CUBCU CPVCV CUWCW CXRCX CYPCY CZECZ DEUDE DJIDJ DNKDK DMADM DOMDO DZADZ ECUEC ESTEE
EGYEG ESHEH ERIER ESPES ETHET FINFI FJIFJ FLKFK FSMFM FROFO FRAFR GABGA GBRGB GRDGD GEOGE GUFGF
GGYGG GHAGH GIBGI GRLGL GMBGM GINGN GLPGP GNQGQ GRCGR SGSGS GTMGT GUMGU GNBGW GUYGY HKGHK HMDHM
HNDHN HRVHR HTIHT HUNHU IDNID IRLIE ISRIL IMNIM INDIN IOTIO IRQIQ IRNIR ISLIS ITAIT JEYJE JAMJM
JORJO JPNJP KENKE KGZKG KHMKH KIRKI COMKM KNAKN PRKKP KORKR KWTKW CYMKY KAZKZ LAOLA LBNLB LCALC
LIELI LKALK LBRLR LSOLS LTULT LUXLU LVALV LBYLY MARMA MCOMC MDAMD MNEME MAFMF MDGMG MHLMH MKDMK
MLIML MMRMM MNGMN MACMO MNPMP MTQMQ MRTMR MSRMS MLTMT MUSMU MDVMV MWIMW MEXMX MYSMY MOZMZ NAMNA
NCLNC NERNE NFKNF NGANG NICNI NLDNL NORNO NPLNP NRUNR NIUNU NZLNZ OMNOM PANPA PERPE PYFPF PNGPG
PHLPH PAKPK POLPL SPMPM PCNPN PRIPR PSEPS PRTPT PLWPW PRYPY QATQA REURE ROURO SRBRS RUSRU RWARW
SAUSA SLBSB SYCSC SDNSD SWESE SGPSG SHNSH SVNSI SJMSJ SVKSK SLESL SMRSM SENSN SOMSO SURSR SSDSS
STPST SLVSV SXMSX SYRSY SWZSZ TCATC TCDTD ATFTF TGOTG THATH TJKTJ TKLTK TLSTL TKMTM TUNTN TONTO
TURTR TTOTT TUVTV TWNTW TZATZ UKRUA UGAUG UMIUM USAUS URYUY UZBUZ VATVA VCTVC VENVE VGBVG VIRVI
VNMVN VUTVU WLFWF WSMWS YEMYE MYTYT ZAFZA ZMBZM ZWEZW`;

/** Informal, older or official long names that `Intl.DisplayNames` does not give. */
const ALIASES: Record<string, string> = {
  UK: 'GB',
  'U.K.': 'GB',
  'Great Britain': 'GB',
  Britain: 'GB',
  England: 'GB',
  Scotland: 'GB',
  Wales: 'GB',
  'Northern Ireland': 'GB',
  'United Kingdom of Great Britain and Northern Ireland': 'GB',
  USA: 'US',
  'U.S.': 'US',
  'U.S.A.': 'US',
  America: 'US',
  'United States of America': 'US',
  UAE: 'AE',
  Holland: 'NL',
  'Czech Republic': 'CZ',
  Turkey: 'TR',
  Macedonia: 'MK',
  'Ivory Coast': 'CI',
  'Cabo Verde': 'CV',
  Korea: 'KR',
  'Republic of Korea': 'KR',
  'Korea, Republic of': 'KR',
  "Korea, Democratic People's Republic of": 'KP',
  'Democratic Republic of the Congo': 'CD',
  'DR Congo': 'CD',
  'Congo, The Democratic Republic of the': 'CD',
  'Republic of the Congo': 'CG',
  Congo: 'CG',
  Burma: 'MM',
  Swaziland: 'SZ',
  'East Timor': 'TL',
  Vatican: 'VA',
  'Holy See': 'VA',
  'Russian Federation': 'RU',
  'Iran, Islamic Republic of': 'IR',
  'Syrian Arab Republic': 'SY',
  "Lao People's Democratic Republic": 'LA',
  'Viet Nam': 'VN',
  'Brunei Darussalam': 'BN',
  'Taiwan, Province of China': 'TW',
  Macau: 'MO',
  'Palestine, State of': 'PS',
  'Bolivia, Plurinational State of': 'BO',
  'Venezuela, Bolivarian Republic of': 'VE',
  'Tanzania, United Republic of': 'TZ',
  'Moldova, Republic of': 'MD',
  'Micronesia, Federated States of': 'FM',
  'United States Virgin Islands': 'VI',
  'Virgin Islands, U.S.': 'VI',
  'Virgin Islands, British': 'VG',
};

/** Languages whose country names are recognised, English first: the first language to claim a name keeps it. */
const NAME_LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt'];

/** Lower case, no accents, "St." as "saint", "&" as "and", no leading "the", letters and digits only. */
export function countryNameKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/\bst\b\.?/g, 'saint')
    .replace(/^\s*the\s+/, '')
    .replace(/[^\p{L}\p{N}]/gu, '');
}

function buildNameTable(): Map<string, string> {
  const names = new Map<string, string>();
  const claim = (name: string | undefined, code: string) => {
    if (!name) return;
    const key = countryNameKey(name);
    if (key && !names.has(key)) names.set(key, code);
  };
  for (const [name, code] of Object.entries(ALIASES)) claim(name, code);
  for (const language of NAME_LANGUAGES) {
    const long = new Intl.DisplayNames(language, { type: 'region', fallback: 'none' });
    const short = new Intl.DisplayNames(language, { type: 'region', style: 'short', fallback: 'none' });
    for (const code of new Set([...ACCEPTED, ...ALPHA3.values()])) {
      claim(long.of(code), code);
      claim(short.of(code), code);
    }
  }
  return names;
}

const ALPHA3 = new Map(
  ALPHA3_ALPHA2.trim()
    .split(/\s+/)
    .map((pair) => [pair.slice(0, 3), pair.slice(3)] as const),
);
const NAMES = buildNameTable();

/** Every alpha-3 code with its alpha-2 code (for tests and for documenting the column). */
export function alpha3Codes(): ReadonlyMap<string, string> {
  return ALPHA3;
}

export type CountryLookup = { found: true; code: string } | { found: false; known?: string };

/**
 * The alpha-2 code of a country written as a code or a name. `known` is set when the text names
 * a real country that the customer schema does not accept (e.g. Antarctica).
 */
export function lookUpCountry(text: string): CountryLookup {
  const upper = text.trim().toUpperCase();
  const candidate =
    (/^[A-Z]{2}$/.test(upper) && ACCEPTED.has(upper) ? upper : undefined) ??
    (/^[A-Z]{3}$/.test(upper) ? ALPHA3.get(upper) : undefined) ??
    NAMES.get(countryNameKey(text));
  if (!candidate) return { found: false };
  return ACCEPTED.has(candidate) ? { found: true, code: candidate } : { found: false, known: candidate };
}
