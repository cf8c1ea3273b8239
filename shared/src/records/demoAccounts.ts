import { z } from 'zod';
import { roleSchema } from '../roles.js';

/** A demo account the seed created, with its generated password: what `npm start` prints. */
export const demoAccountSchema = z.object({
  username: z.string(),
  password: z.string(),
  role: roleSchema,
  name: z.string(),
  organization: z.string(),
});
export type DemoAccount = z.infer<typeof demoAccountSchema>;

/** The one JSON line `records/dist/seed.js` prints. */
export const seedReportSchema = z.object({ seeded: z.boolean(), accounts: z.array(demoAccountSchema) });
