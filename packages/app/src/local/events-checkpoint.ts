import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Where the local relay got to in the table's stream: per shard, the sequence number of the
 * last record whose events were delivered, and whether a closed shard is fully read. Kept in
 * a file under .data/ so a restarted process resumes exactly there: nothing committed is
 * skipped, and only what was in flight when the process died is seen again.
 */
export interface StreamCheckpoint {
  streamArn: string;
  shards: Record<string, { sequenceNumber?: string; finished?: boolean }>;
}

export function loadCheckpoint(file: string): StreamCheckpoint | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const parsed = JSON.parse(text) as Partial<StreamCheckpoint>;
  if (typeof parsed.streamArn !== 'string' || typeof parsed.shards !== 'object' || !parsed.shards) {
    throw new Error(`Stream checkpoint ${file} is not readable; delete it to start from the stream's beginning`);
  }
  return parsed as StreamCheckpoint;
}

/** Write-then-rename, so a crash mid-write leaves the previous checkpoint, never half a file. */
export function saveCheckpoint(file: string, checkpoint: StreamCheckpoint): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(checkpoint, null, 2));
  renameSync(tmp, file);
}
