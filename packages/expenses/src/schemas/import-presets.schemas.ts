import { z } from '@hono/zod-openapi';
import { ImportMapping } from './csv.schemas';

/** The built-in import presets' list (domain/import-presets.ts): what an "Import from YNAB" button needs. */
export const ImportPresetSchema = z
  .object({
    id: z.string().openapi({ example: 'ynab', description: 'Stable: send it as `?profile=<id>` to POST .../expenses/import; the import\'s `profileId` when it was used.' }),
    name: z.string().openapi({ example: 'YNAB', description: "The app whose CSV export it reads." }),
    mapping: ImportMapping,
    columns: z
      .array(z.string())
      .openapi({
        example: ['Account', 'Flag', 'Date', 'Payee', 'Category Group/Category', 'Category Group', 'Category', 'Memo', 'Outflow', 'Inflow', 'Cleared'],
        description: "The app's export header: `?profile=auto` picks the preset only for a file whose header has all of them (and only when no saved profile fits).",
      }),
  })
  .openapi('ImportPreset');

export const ImportPresetListSchema = z
  .object({ items: z.array(ImportPresetSchema) })
  .openapi('ImportPresetList', { description: 'Every built-in preset, in a fixed order; read-only.' });
