import { problems } from '@budgeting/platform';
import type { ImportFile } from '../domain/import-file';
import { layoutOf, mappingProblems, type CsvCharset, type CsvDecoding, type CsvMapping, type PresetReading } from '../domain/csv/layout';
import { decodeCsv, sameDecoding, type DecodedCsv } from '../domain/csv/charset';
import { AUTO_PROFILE, headerSummary, mergeMapping, pickProfile } from '../domain/import-profiles';
import { IMPORT_PRESETS, presetOf } from '../domain/import-presets';
import type { ImportProfilesRepository } from '../repository/import-profiles.repository';
import type { ImportProfile } from '../model';
import type { ImportRequest } from './import-request';

// One job: how an import's file is laid out: the request's mapping parameters over a saved
// import profile or a built-in preset (`?profile=`, `auto` picking one by the file's header),
// checked as a whole, and a CSV body decoded by the charset that applies; the file ready to read.

/** The budget's saved import profiles, as the layout reads them. */
type ImportProfileSource = Pick<ImportProfilesRepository, 'get' | 'all'>;

/** Where an import's mapping comes from: a saved profile, or a built-in preset (`preset: true`). */
type MappingSource = Pick<ImportProfile, 'id' | 'mapping' | 'credits'> & { preset?: true; reading?: PresetReading };

/** The built-in preset with this id as a mapping source (import-presets.ts). */
function presetSource(id: string): MappingSource | undefined {
  const preset = presetOf(id);
  return preset ? { id: preset.id, mapping: preset.mapping, preset: true, ...(preset.reading ? { reading: preset.reading } : {}) } : undefined;
}

/**
 * The file with its layout: the mapping parameters given, over the profile's saved mapping
 * when the request names one (one GetItem, after the access check, so a stranger learns
 * nothing of the budget's profiles). The merged mapping is checked as a whole by the same
 * rules as a profile's body (layout.ts mappingProblems). A problem with a field the request did
 * not send (it came from the profile) names `query.profile`: the parameter the caller sent.
 * The Idempotency-Key's fingerprint covers the query, not the profile: a retry under the same
 * key replays the first answer even if the profile changed in between. A CSV file's text is
 * then decoded by the charset that applies (csvText): a mapping's `charset` contradicting the
 * Content-Type's is a 400 naming `query.charset` when the query gave it (a profile's yields).
 */
export async function fileOf(profiles: ImportProfileSource, budgetId: string, input: ImportRequest): Promise<{ file: ImportFile; profileId?: string; charset?: CsvDecoding; preset?: boolean }> {
  let mapping = input.mapping ?? {};
  let fromProfile = new Set<string>();
  let profileId: string | undefined;
  let credits = input.credits;
  let preset = false;
  let reading: PresetReading | undefined;
  if (input.profileId !== undefined) {
    // A built-in preset's id is never a saved profile's (those are ULIDs): no read for it.
    const profile: MappingSource | undefined =
      input.profileId === AUTO_PROFILE ? await fittingProfile(profiles, budgetId, input) : (presetSource(input.profileId) ?? (await profiles.get(budgetId, input.profileId)));
    if (!profile) throw problems.validation([{ path: 'query.profile', message: 'The budget has no import profile with this id, and no built-in preset has it' }], 'Unknown import profile; nothing was imported.');
    ({ mapping, fromProfile } = mergeMapping(profile.mapping, mapping));
    profileId = profile.id;
    preset = profile.preset === true;
    reading = profile.reading;
    // As a mapping parameter overrides its profile field, the query's `credits` overrides the profile's.
    credits ??= profile.credits;
  }
  const pathOf = (parameter: string) => (fromProfile.has(parameter) ? 'query.profile' : `query.${parameter}`);
  const messageOf = (parameter: string, message: string) => (fromProfile.has(parameter) ? `The profile's ${parameter}: ${message}` : message);
  const wrong = mappingProblems(mapping);
  if (wrong.length > 0) {
    throw problems.validation(
      wrong.map((p) => ({ path: pathOf(p.parameter), message: messageOf(p.parameter, p.message) })),
      'The column mapping is not valid; nothing was imported.',
    );
  }
  if (input.format === 'csv' && input.declaredCharset !== undefined && mapping.charset !== undefined && !fromProfile.has('charset') && !sameDecoding(input.declaredCharset, mapping.charset)) {
    throw problems.validation(
      [{ path: 'query.charset', message: `The Content-Type says charset=${input.declaredCharset}: give one of the two, or the same charset in both` }],
      'The file\'s character set is given twice, differently; nothing was imported.',
    );
  }
  const decoded = input.format === 'csv' ? csvText(input, mapping.charset) : undefined;
  if (decoded && !decoded.ok) {
    // The mapping's charset failed: it names the parameter. Else the file's own byte order
    // mark or UTF-16 look (or the Content-Type's charset, which the route refused already).
    const byMapping = decoded.source === 'given' && input.declaredCharset === undefined;
    throw problems.validation(
      [byMapping ? { path: pathOf('charset'), message: messageOf('charset', decoded.message) } : { path: 'body', message: decoded.message }],
      byMapping ? 'The file is not in the character set given; nothing was imported.' : 'The file cannot be decoded; nothing was imported.',
    );
  }
  // A preset's reading of its app's own columns goes with its mapping (a CSV file only: it reads header columns).
  const mapped = layoutOf(mapping);
  const layout = mapped && reading && input.format === 'csv' ? { ...mapped, reading } : mapped;
  const file: ImportFile = {
    format: input.format,
    text: decoded ? decoded.text : input.text,
    ...(credits === 'refunds' || credits === 'income' ? { credits } : {}),
    ...(layout ? { layout, parameterPath: (p: string) => ({ path: pathOf(p), message: (m: string) => messageOf(p, m) }) } : {}),
  };
  return { file, ...(profileId === undefined ? {} : { profileId }), ...(decoded ? { charset: decoded.charset } : {}), ...(preset ? { preset } : {}) };
}

/**
 * `?profile=auto`: the budget's profile (one Query, at most 20) whose columns the file's header
 * row has, each read with the profile's mapping under the parameters given (their skipLines and
 * delimiter find the header; domain pickProfile chooses). Profiles whose merged mapping is not
 * valid as a whole cannot read the file and take no part. None fits: a file that does not
 * decode without a profile's charset is a 400 naming `body` (or `query.charset`) with why;
 * otherwise a 400 naming `query.profile` that lists the header's columns (as the newest profile reads them, or
 * plainly: comma, no lines skipped, when the budget has none).
 */
async function fittingProfile(profiles: ImportProfileSource, budgetId: string, input: ImportRequest): Promise<MappingSource> {
  const { headerRow } = await import('../domain/csv/bank-csv');
  const saved = await profiles.all(budgetId);
  const candidates = saved
    .map((profile) => ({ profile, id: profile.id, updatedAt: profile.updatedAt, mapping: mergeMapping(profile.mapping, input.mapping ?? {}).mapping }))
    .filter((c) => mappingProblems(c.mapping).length === 0);
  const headers = new Map<string, string[] | undefined>();
  const texts = new Map<string, DecodedCsv>();
  const headerOf = (mapping: CsvMapping) => {
    const layout = layoutOf(mapping);
    const delimiter = layout?.delimiter ?? ',';
    const skipLines = layout?.skipLines ?? 0;
    // Each profile's header in ITS charset too (a header name may hold "Empfänger"); each charset decoded once.
    const charset = input.declaredCharset ?? mapping.charset ?? 'auto';
    if (!texts.has(charset)) texts.set(charset, csvText(input, mapping.charset));
    const decoded = texts.get(charset)!;
    const key = `${skipLines}:${delimiter}:${charset}`;
    if (!headers.has(key)) headers.set(key, decoded.ok ? headerRow(decoded.text, delimiter, skipLines) : undefined);
    return headers.get(key);
  };
  const picked = pickProfile(candidates, (c) => headerOf(c.mapping));
  if (picked) return picked.profile;
  // Only then the built-in presets (a saved profile wins: the user made it for their files),
  // each needing its app's whole header (its signature) besides its mapped columns.
  const presets = IMPORT_PRESETS.map((p) => ({ id: p.id, updatedAt: '', alsoNeeds: p.signature, mapping: mergeMapping(p.mapping, input.mapping ?? {}).mapping })).filter(
    (c) => mappingProblems(c.mapping).length === 0,
  );
  const pickedPreset = pickProfile(presets, (c) => headerOf(c.mapping));
  if (pickedPreset) return presetSource(pickedPreset.id)!;
  // A file that does not decode by its own signs (a byte order mark, UTF-16's zero bytes) or the
  // charset the request names has no header for any profile to match: that is the answer.
  const own = csvText(input, input.mapping?.charset);
  if (!own.ok) {
    const byQuery = own.source === 'given' && input.declaredCharset === undefined;
    throw problems.validation(
      [{ path: byQuery ? 'query.charset' : 'body', message: own.message }],
      "The file cannot be decoded, so no saved import profile can read its header; nothing was imported.",
    );
  }
  const newest = [...candidates].sort((a, b) => (a.updatedAt === b.updatedAt ? (a.id < b.id ? 1 : -1) : a.updatedAt < b.updatedAt ? 1 : -1))[0];
  const header = headerOf(newest?.mapping ?? input.mapping ?? {}) ?? [];
  const message = saved.length === 0 ? "The budget has no saved import profiles, and no built-in preset matches the file's header" : "No saved import profile or built-in preset matches the file's header";
  throw problems.validation(
    [{ path: 'query.profile', message }],
    `${message} (its columns: ${header.length > 0 ? headerSummary(header) : 'none'}); nothing was imported. Name a profile by its id, or give the mapping parameters.`,
  );
}

/**
 * A CSV request's text in the charset that applies: the Content-Type's (the route decoded
 * `text` by it), else the mapping's (`charset` of the query or the profile, decoding the
 * body's bytes), else the route's guess (UTF-16 if the file's start shows it, UTF-8 if the
 * bytes are, else Windows-1252); a byte order mark before all of these.
 */
function csvText(input: ImportRequest, charset: CsvCharset | undefined): DecodedCsv {
  const bytes = input.bytes ?? Buffer.from(input.text, 'utf8');
  if (input.declaredCharset !== undefined) return decodeCsv(bytes, { charset: input.declaredCharset, by: 'the Content-Type says' });
  return decodeCsv(bytes, charset === undefined ? undefined : { charset, by: 'the mapping says' });
}
