import type { Metafile } from 'esbuild';

/** The output chunk(s) of a build that hold `input` (a repository-relative source path). */
export function chunksHolding(metafile: Metafile, input: string): string[] {
  const chunks = Object.entries(metafile.outputs)
    .filter(([file, out]) => !file.endsWith('.map') && input in out.inputs)
    .map(([file]) => file);
  if (chunks.length === 0) throw new Error(`no output holds ${input}: renamed or moved? (update the test)`);
  return chunks;
}

/**
 * The source files a process evaluates once it has loaded `roots` (output files): the roots
 * and every chunk they import statically, transitively, but not what they `import()` (loaded
 * only when that code runs). Read from esbuild's metafile, so it is the shipped bundle's graph.
 */
export function staticallyLoadedInputs(metafile: Metafile, roots: string[]): Set<string> {
  const seen = new Set<string>();
  const pending = [...roots];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const out = metafile.outputs[file];
    if (!out) continue; // node: built-ins and externals
    for (const imported of out.imports) if (imported.kind === 'import-statement') pending.push(imported.path);
  }
  return new Set([...seen].flatMap((file) => Object.keys(metafile.outputs[file]?.inputs ?? {})));
}
